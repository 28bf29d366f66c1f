/**
 * Options that do not apply to what was asked are refused, never silently ignored; a first
 * argument that is no file but looks like a mistyped command is named as one.
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { closest } from "../text/did-you-mean.js";
import { fail, USAGE_HINT as HINT, type CliIo } from "./io.js";
import { jobsFor, resolvePath, type Options } from "./options.js";

/** Which options make sense together, checked before any input is read. */
export function checkApplicable(opts: Options, program: Command): void {
  const given = (name: string) => program.getOptionValueSource(name) === "cli";
  if (opts.interactive) {
    for (const [name, flag] of [["output", "-o/--output"], ["summary", "--summary"], ["from", "--from"], ["explainSources", "--explain-sources"], ["format", "--format"], ["columns", "--columns"], ["report", "--report"], ["reportMinCount", "--report-min-count"], ["paper", "--paper"], ["jobs", "--jobs"]] as const) {
      if (given(name)) fail(`${flag} does not apply to the bedside mode (--interactive), which asks in the terminal and prints a text report`, HINT);
    }
    return;
  }
  jobsFor(opts); // a bad --jobs is bad usage before any input is read
  if (opts.save !== undefined) fail("--save applies to the bedside mode only: use it with --interactive or 'screen ask'", HINT);
  if (opts.format !== "text") {
    if (opts.explainSources) {
      const why = opts.format === "json" || opts.format === "ndjson" ? `; each ${opts.format} result of a sheet or Bundle carries "sources" already` : "";
      fail(`--explain-sources applies to --format text only${why}`, HINT);
    }
    if (opts.verbose) fail(`--verbose applies to --format text only (--format ${opts.format} always has every criterion)`, HINT);
  }
}

/**
 * `screen criterias` (no such file) is a typo of a command, not an invalid record: a first
 * argument with no extension and no directory part that names no file gets "unknown command".
 */
export function checkCommandLike(files: readonly string[], program: Command, io: CliIo): void {
  const first = files[0];
  if (first === undefined || first === "-" || !/^[a-z][a-z0-9-]*$/i.test(first)) return;
  if (existsSync(resolvePath(io, first))) return;
  const names = program.commands.map((c) => c.name());
  const guess = closest(first, names, 3);
  fail(`unknown command '${first}'${guess ? ` (did you mean '${guess}'?)` : ""}`, `(commands: ${names.join(", ")}; run 'screen --help' for usage)`);
}
