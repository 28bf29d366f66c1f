/**
 * `screen completion bash|zsh|fish`: the generator read against a small commander program, and
 * the scripts it writes run in the real shells: bash's completion function is called with the
 * words typed so far and its COMPREPLY read back; fish answers `complete -C`; zsh (which can
 * complete only inside its line editor) is checked to parse and to register the function.
 * zsh and fish tests are skipped where those shells are not installed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Argument, Command, Option } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completionScript, describeCommand } from "../src/cli/completion.js";
import { screen } from "./helpers/cli.js";

const has = (shell: string) => spawnSync(shell, ["--version"], { stdio: "ignore" }).status === 0;
const hasZsh = has("zsh");
const hasFish = has("fish");
if (!hasZsh || !hasFish) console.warn(`completion: ${[!hasZsh && "zsh", !hasFish && "fish"].filter(Boolean).join(" and ")} not installed, their tests are skipped`);

/** A small program shaped like `screen`: files, options with choices and file values, subcommands. */
function tool(): Command {
  const p = new Command("tool")
    .description("a tool\nsecond line")
    .option("-v, --verbose", "talk [loudly]")
    .addOption(new Option("-f, --format <fmt>", "format: 'a' or b").choices(["alpha", "beta"]))
    .option("-o, --output <file>", "write there")
    .option("--when <time>", "a time")
    .option("--no-color", "no colour")
    .addOption(new Option("--secret", "not shown").hideHelp())
    .argument("[files...]", "inputs");
  p.command("list").description("list things").option("--all", "everything");
  p.command("open").description("open one").argument("<file>", "a file");
  p.command("completion").description("a script").addArgument(new Argument("<shell>").choices(["bash", "zsh", "fish"]));
  p.command("hidden", { hidden: true });
  return p;
}

let base: string;
let dir: string; // where the shells run: the files they complete
const script = (shell: string) => join(base, `tool.${shell}`);
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "screen-completion-"));
  dir = join(base, "files");
  mkdirSync(dir);
  writeFileSync(join(dir, "alpha.json"), "{}");
  writeFileSync(join(dir, "notes with space.csv"), "");
  mkdirSync(join(dir, "sub"));
  for (const shell of ["bash", "zsh", "fish"] as const) writeFileSync(script(shell), completionScript(tool(), shell));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("describeCommand", () => {
  it("reads options, their values, arguments and subcommands from the commander tree, hidden ones left out", () => {
    const spec = describeCommand(tool());
    expect(spec.description).toBe("a tool");
    expect(spec.options.map((o) => [o.short, o.long, o.value])).toEqual([
      ["-v", "--verbose", undefined],
      ["-f", "--format", { kind: "choices", choices: ["alpha", "beta"] }],
      ["-o", "--output", { kind: "files" }],
      [undefined, "--when", { kind: "text", name: "time" }],
      [undefined, "--no-color", undefined],
      ["-h", "--help", undefined],
    ]);
    expect(spec.args).toEqual([{ name: "files", variadic: true, value: { kind: "files" } }]);
    expect(spec.commands.map((c) => c.name)).toEqual(["list", "open", "completion", "help"]);
    const [list, open, completion, help] = spec.commands;
    expect(list!.options.map((o) => o.long)).toEqual(["--all", "--help"]);
    expect(open!.args).toEqual([{ name: "file", variadic: false, value: { kind: "files" } }]);
    expect(completion!.args[0]!.value).toEqual({ kind: "choices", choices: ["bash", "zsh", "fish"] });
    expect(help!.args[0]!.value).toEqual({ kind: "choices", choices: ["list", "open", "completion"] });
  });
});

/** What bash completes with the script `file` for the words typed (the last one is being completed). */
function bashWith(file: string, ...words: string[]): string[] {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const line = `source ${q(file)}\nCOMP_WORDS=(${words.map(q).join(" ")}); COMP_CWORD=${words.length - 1}\n_${words[0]}_completion\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", line], { cwd: dir, encoding: "utf8" });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean).sort();
}
const bash = (...words: string[]) => bashWith(script("bash"), ...words);

describe("bash", () => {
  it("completes an option's choices, with a space or an = before the value", () => {
    expect(bash("tool", "--format", "")).toEqual(["alpha", "beta"]);
    expect(bash("tool", "-f", "b")).toEqual(["beta"]);
    expect(bash("tool", "--format", "=")).toEqual(["alpha", "beta"]);
    expect(bash("tool", "--format", "=", "al")).toEqual(["alpha"]);
  });

  it("completes file names for file values and inputs, and nothing for free text", () => {
    expect(bash("tool", "-o", "")).toEqual(["alpha.json", "notes with space.csv", "sub"]);
    expect(bash("tool", "--when", "")).toEqual([]);
    expect(bash("tool", "alpha.json", "n")).toEqual(["notes with space.csv"]);
    expect(bash("tool", "open", "a")).toEqual(["alpha.json"]);
    expect(bash("tool", "open", "alpha.json", "")).toEqual([]); // open takes one file
  });

  it("offers subcommands only as the first operand, and each subcommand's own arguments", () => {
    expect(bash("tool", "")).toEqual(["alpha.json", "completion", "help", "list", "notes with space.csv", "open", "sub"]);
    expect(bash("tool", "--format", "alpha", "l")).toEqual(["list"]);
    expect(bash("tool", "alpha.json", "l")).toEqual([]);
    expect(bash("tool", "completion", "")).toEqual(["bash", "fish", "zsh"]);
    expect(bash("tool", "help", "")).toEqual(["completion", "list", "open"]);
    expect(bash("tool", "list", "")).toEqual([]);
  });

  it("completes the options of the command being typed: the program's, or after a subcommand its own", () => {
    expect(bash("tool", "--")).toEqual(["--format", "--help", "--no-color", "--output", "--verbose", "--when"]);
    expect(bash("tool", "alpha.json", "--v")).toEqual(["--verbose"]);
    expect(bash("tool", "list", "--")).toEqual(["--all", "--help"]);
    expect(bash("tool", "--a")).toEqual([]);
    expect(bash("tool", "list", "--f")).toEqual([]);
  });
});

/** What fish completes with the script `file` for the command line typed so far (`complete -C`). */
function fishWith(file: string, line: string): string[] {
  const r = spawnSync("fish", ["--no-config", "-c", `source '${file}'; complete -C ${JSON.stringify(line)}`], { cwd: dir, encoding: "utf8" });
  expect(r.stderr).toBe("");
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t")[0]!)
    .sort();
}
const fish = (line: string) => fishWith(script("fish"), line);

describe.skipIf(!hasFish)("fish", () => {
  it("completes choices, file names, subcommands and options", () => {
    expect(fish("tool --format ")).toEqual(["alpha", "beta"]);
    expect(fish("tool -o al")).toEqual(["alpha.json"]);
    expect(fish("tool --when ")).toEqual([]);
    expect(fish("tool ")).toEqual(["alpha.json", "completion", "help", "list", "notes with space.csv", "open", "sub/"]);
    expect(fish("tool completion ")).toEqual(["bash", "fish", "zsh"]);
    expect(fish("tool list --a")).toEqual(["--all"]);
    expect(fish("tool list --f")).toEqual([]);
    expect(fish("tool --no-")).toEqual(["--no-color"]);
  });
});

describe.skipIf(!hasZsh)("zsh", () => {
  it("parses, and sourcing it registers the completion function for the command", () => {
    expect(spawnSync("zsh", ["-n", script("zsh")], { cwd: dir, encoding: "utf8" }).stderr).toBe("");
    const r = spawnSync("zsh", ["-f", "-c", `autoload -Uz compinit && compinit -u -D && source ${script("zsh")} && print -r -- $_comps[tool]`], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("_tool\n");
  });
});

describe("screen completion", () => {
  /** The script `screen completion <shell>` prints, saved where the shells can source it. */
  async function printed(shell: string): Promise<string> {
    const r = await screen(["completion", shell]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const file = join(base, `screen.${shell}`);
    writeFileSync(file, r.stdout);
    return file;
  }

  it("bash: completes the real program's subcommands, formats, colour modes and files", async () => {
    const file = await printed("bash");
    expect(bashWith(file, "screen", "--format", "")).toEqual(["csv", "fhir", "html", "json", "ndjson", "pdf", "text"]);
    expect(bashWith(file, "screen", "--from", "")).toEqual(["csv", "fhir", "json", "tsv"]);
    expect(bashWith(file, "screen", "--color", "")).toEqual(["always", "auto", "never"]);
    expect(bashWith(file, "screen", "--rules", "a")).toEqual(["alpha.json"]);
    expect(bashWith(file, "screen", "--columns", "a")).toEqual(["alpha.json"]);
    expect(bashWith(file, "screen", "--as-of", "")).toEqual([]);
    expect(bashWith(file, "screen", "")).toEqual(["alpha.json", "ask", "completion", "coverage", "criteria", "help", "notes with space.csv", "sub", "template"]);
    expect(bashWith(file, "screen", "ask", "")).toEqual(["alpha.json", "notes with space.csv", "sub"]);
    expect(bashWith(file, "screen", "completion", "")).toEqual(["bash", "fish", "zsh"]);
    expect(bashWith(file, "screen", "--ex")).toEqual(["--explain-sources"]);
    // A subcommand's own options, and their own choices.
    expect(bashWith(file, "screen", "criteria", "--format", "")).toEqual(["json", "ndjson", "text"]);
    expect(bashWith(file, "screen", "template", "-f", "")).toEqual(["csv", "text"]);
    expect(bashWith(file, "screen", "ask", "--s")).toEqual(["--save"]);
    expect(bashWith(file, "screen", "ask", "--save", "al")).toEqual(["alpha.json"]);
    expect(bashWith(file, "screen", "help", "")).toEqual(["ask", "completion", "coverage", "criteria", "template"]);
  });

  it.skipIf(!hasFish)("fish: the same from the fish script", async () => {
    const file = await printed("fish");
    expect(fishWith(file, "screen --format ")).toEqual(["csv", "fhir", "html", "json", "ndjson", "pdf", "text"]);
    expect(fishWith(file, "screen completion ")).toEqual(["bash", "fish", "zsh"]);
    expect(fishWith(file, "screen te")).toEqual(["template"]);
    expect(fishWith(file, "screen criteria --format ")).toEqual(["json", "ndjson", "text"]);
  });

  it.skipIf(!hasZsh)("zsh: the script parses and registers _screen", async () => {
    const file = await printed("zsh");
    const r = spawnSync("zsh", ["-f", "-c", `autoload -Uz compinit && compinit -u -D && source ${file} && print -r -- $_comps[screen]`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("_screen\n");
  });

  it("refuses a shell it does not know, exit 2", async () => {
    const r = await screen(["completion", "powershell"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'powershell' is invalid .*bash, zsh, fish/);
    expect(r.stdout).toBe("");
  });
});
