/**
 * The `screen` command: a thin shell over the library. `main(argv, io)` parses options, runs the
 * chosen command against `io` and returns the contract's exit code; it never exits the process
 * (only bin/ does), so tests run it in-process.
 */
import { Argument, Command, CommanderError, Option } from "commander";
import { INPUT_FORMATS } from "../input/read-input.js";
import { RulesError } from "../rules/compile.js";
import { UsageError } from "../result.js";
import { checkApplicable, checkCommandLike } from "./applicable.js";
import { CliFailure, fail, USAGE_HINT, writeFailure, type CliIo } from "./io.js";
import { COLOR_MODES, FORMATS, type Options } from "./options.js";
import { PAPERS, parseMinCount } from "./documents.js";
import { screenFiles } from "./screen-files.js";
import { version } from "./version.js";

export type { CliIo } from "./io.js";

const EXAMPLES = `
Examples:
  $ screen fixtures/eligible.json                      report for one patient
  $ screen fixtures/ineligible.json --format json      the result as JSON
  $ screen admissions/*.json --format csv -o log.csv   a screening log for many files
  $ export-tool | screen - --format ndjson --summary   screen an NDJSON stream from stdin
  $ screen patient.json --as-of 2026-11-24T09:00:00+08:00
  $ screen criteria                                    list the 27 criteria
  $ screen ask partial.json                            bedside mode: ask what is missing
  $ screen sheet.csv --explain-sources                 a coordinator's spreadsheet, values traced to cells
  $ screen --from fhir export.json --format fhir       a FHIR R4 Bundle in, ResearchSubjects out
  $ screen template --format csv > sheet.csv           start a screening spreadsheet
  $ screen batch.ndjson --format html -o checklist.html  eligibility checklists to sign (or --format pdf)
  $ screen big.ndjson --format csv -o log.csv --report report.html   and a screening report (flow, counts)
  $ source <(screen completion bash)                   tab completion (also zsh, fish)
  $ screen coverage exports/*.json                     what the inputs supply, and the codes the mapping misses
  $ screen help ask                                    help for one command

Exit codes: 0 all eligible · 1 any ineligible · 3 none ineligible, some incomplete · 2 bad usage or invalid record`;



type Run = (action: () => Promise<number>) => Promise<void>;

/** The other commands' code (criteria, template, the bedside mode), loaded when one of them runs: a screening run's start-up does without it. */
const commands = () => import("./commands.js");

/** The shells `screen completion` writes for (the generator itself is loaded only when asked). */
const SHELLS = ["bash", "zsh", "fish"] as const;

const rulesOption = () => new Option("--rules <file>", "rules file to screen against (default: the trial's rules/NCT07232563.json)");
const asOfOption = () => new Option("--as-of <timestamp>", "screening time for records without screenedAt (ISO 8601 with a time of day)");
const zoneOption = () => new Option("--time-zone <zone>", "IANA time zone for timestamps written without an offset (default: the machine's)");
const colorOption = () => new Option("--color <when>", "colour in text output: auto (a terminal, and NO_COLOR unset; FORCE_COLOR honoured), always, never").choices(COLOR_MODES);
const noColorOption = () => new Option("--no-color", "no colour (same as --color never)");

/** The same manners for every command: errors prefixed `screen:`, one usage hint, output to `io`. */
function manners(cmd: Command, io: CliIo): Command {
  return cmd
    .showHelpAfterError(USAGE_HINT)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s.startsWith("error: ") ? `screen: ${s.slice("error: ".length)}` : s),
    });
}

function screenCommand(io: CliIo, run: Run): Command {
  const program = manners(new Command("screen"), io);
  program
    .description("Screen patients against the eligibility criteria of trial NCT07232563.\nInput: a record file, a JSON array, NDJSON, or '-' / piped standard input.")
    .version(version(), "-V, --version")
    .argument("[files...]", "patient record files (JSON object, JSON array or NDJSON; CSV/TSV sheets; FHIR R4 Bundles); '-' reads standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .addOption(new Option("--from <format>", "input format (default: .csv/.tsv files are sheets, a JSON Bundle is FHIR, else JSON records)").choices(INPUT_FORMATS))
    .option("--explain-sources", "text reports: say which spreadsheet cell (and what it held) or FHIR resource each value came from")
    .option("--columns <map.json>", "spreadsheets: the site's own headers → record paths, e.g. {\"NIHSS total\": \"stroke.nihss\", \"MRN\": \"id\"}")
    .addOption(asOfOption())
    .addOption(rulesOption())
    .option("-o, --output <file>", "write output to this file (atomically) instead of standard output; never one of the inputs")
    .option("--report <file>", "also write the screening report (HTML: flow diagram, counts; no patient ids) to this file")
    .option("--report-min-count <n>", "in the report, show counts from 1 to n-1 as \"<n\" (for sharing outside the site)", parseMinCount)
    .addOption(new Option("--paper <size>", "paper for --format pdf (default a4)").choices(PAPERS))
    .option("--summary", "print screening-log counts (to stderr; after the reports with --format text)")
    .option("--jobs <n>", "screen in N worker threads ('auto': one per core); results keep the input order (default 1)")
    .option("-q, --quiet", "no progress line, no 'wrote …' line")
    .option("-v, --verbose", "list every criterion in text reports, passes included")
    .option("-i, --interactive", "bedside mode: ask for what is missing (optionally resuming FILE); same as 'screen ask'")
    .option("--save <file>", "bedside mode: save the finished record here without asking (no review)")
    .addOption(zoneOption())
    .addOption(colorOption())
    .addOption(noColorOption())
    .addHelpText("after", EXAMPLES)
    .helpCommand("help [command]", "show help for a command")
    .enablePositionalOptions();
  program.action((files: string[], opts: Options) =>
    run(async () => {
      checkApplicable(opts, program);
      if (opts.interactive) {
        if (files.length > 1) fail("--interactive takes at most one record file");
        return (await commands()).interactive(files[0], opts, io);
      }
      checkCommandLike(files, program, io);
      return screenFiles(files, opts, io);
    }),
  );
  return program;
}

/**
 * A subcommand's options, with those given before it (`screen --rules r.json criteria`): its own
 * value when typed after it, else the one typed before it, else its own default.
 */
function merged(program: Command, cmd: Command): Options {
  const out: Record<string, unknown> = { ...cmd.opts() };
  for (const [key, value] of Object.entries(program.opts())) {
    if (program.getOptionValueSource(key) === "cli" && cmd.getOptionValueSource(key) !== "cli") out[key] = value;
  }
  return out as unknown as Options;
}

function subcommands(program: Command, io: CliIo, run: Run): void {
  const criteria = manners(program.command("criteria"), io)
    .description("list the trial's criteria with their ids and registry text")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json", "ndjson"]).default("text"))
    .addOption(rulesOption());
  criteria.action(() => run(async () => (await commands()).listCriteria(merged(program, criteria), io)));

  const template = manners(program.command("template"), io)
    .description("print a screening spreadsheet's header row and one example row, as CSV (redirect it into a file to start a sheet)")
    .addOption(new Option("-f, --format <format>", "output format (the sheet is CSV; 'text' is accepted as the same)").choices(["csv", "text"]).default("csv"))
    .option("--columns <map.json>", "write the site's own headers for the columns the map names")
    .addOption(rulesOption());
  template.action(() => run(async () => (await commands()).writeTemplate(merged(program, template), io)));

  const cov = manners(program.command("coverage"), io)
    .description("for a set of inputs (Bundles, sheets, records): how many supplied each record field, and the codes in the data the mapping does not use, most frequent first")
    .argument("[files...]", "inputs, as for screening; '-' reads standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(new Option("--from <format>", "input format (default: as for screening)").choices(INPUT_FORMATS))
    .addOption(asOfOption())
    .addOption(zoneOption())
    .addOption(rulesOption());
  cov.action((files: string[]) => run(async () => (await import("./coverage.js")).coverage(files, merged(program, cov), io)));

  const ask = manners(program.command("ask"), io)
    .description("bedside interactive mode: asks only what can still change the outcome (same as --interactive)")
    .argument("[file]", "a partial record (or a draft) to resume")
    .option("--save <file>", "save the finished record here without asking (no review)")
    .addOption(asOfOption())
    .addOption(zoneOption())
    .addOption(rulesOption())
    .option("-v, --verbose", "show each criterion that changes as answers come in")
    .addOption(colorOption())
    .addOption(noColorOption());
  ask.action((file: string | undefined) => run(async () => (await commands()).interactive(file, merged(program, ask), io)));

  const completion = manners(program.command("completion"), io)
    .description("print a completion script for bash, zsh or fish (the README shows how to install it)")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS));
  completion.action((shell: (typeof SHELLS)[number]) =>
    run(async () => {
      // Loaded only for this command: a screening run's start-up does not pay for the generator.
      const { completionScript } = await import("./completion.js");
      io.stdout.write(completionScript(program, shell));
      return 0;
    }),
  );
}

/** Runs the command line `argv` (as process.argv: node, script, args…) against `io`; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const run: Run = async (action) => {
    code = await action();
  };
  const program = screenCommand(io, run);
  subcommands(program, io, run);
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
      return 2;
    }
    if (err instanceof CliFailure) return writeFailure(io, err);
    if (err instanceof UsageError) return writeFailure(io, new CliFailure(err.message));
    if (err instanceof RulesError) return writeFailure(io, new CliFailure(err.message, ""));
    throw err;
  }
  return code;
}
