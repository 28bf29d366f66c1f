/**
 * The `screen` command: a thin shell over the library. `main(argv, io)` parses options, runs the
 * chosen command against `io` and returns the contract's exit code; it never exits the process
 * (only bin/ does), so tests run it in-process.
 */
import { Command, CommanderError, Option } from "commander";
import { INPUT_FORMATS } from "../input/read-input.js";
import { RulesError } from "../rules/compile.js";
import { UsageError } from "../result.js";
import { interactive, listCriteria, writeTemplate } from "./commands.js";
import { coverage } from "./coverage.js";
import { CliFailure, fail, writeFailure, type CliIo } from "./io.js";
import { COLOR_MODES, FORMATS, type Options } from "./options.js";
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
  $ screen coverage exports/*.json                     what the inputs supply, and codes the mapping misses

Exit codes: 0 all eligible · 1 any ineligible · 3 none ineligible, some incomplete · 2 bad usage or invalid record`;

function buildProgram(io: CliIo, run: (action: () => Promise<number>) => Promise<void>): Command {
  const program = new Command("screen");
  program
    .description("Screen patients against the eligibility criteria of trial NCT07232563.\nInput: a record file, a JSON array, NDJSON, or '-' / piped standard input.")
    .version(version(), "-V, --version")
    .argument("[files...]", "patient record files (JSON object, JSON array or NDJSON; CSV/TSV sheets; FHIR R4 Bundles); '-' reads standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .addOption(new Option("--from <format>", "input format (default: .csv/.tsv files are sheets, a JSON Bundle is FHIR, else JSON records)").choices(INPUT_FORMATS))
    .option("--explain-sources", "text reports: say which spreadsheet cell or FHIR resource each value came from")
    .option("--as-of <timestamp>", "screening time for records without screenedAt (ISO 8601 with a time of day)")
    .option("--rules <file>", "rules file to screen against (default: the trial's rules/NCT07232563.json)")
    .option("-o, --output <file>", "write output to this file (atomically) instead of standard output")
    .option("--summary", "print screening-log counts (to stderr; after the reports with --format text)")
    .option("-q, --quiet", "no progress line")
    .option("-v, --verbose", "list every criterion in text reports, passes included")
    .option("-i, --interactive", "bedside mode: ask for what is missing (optionally resuming FILE)")
    .option("--save <file>", "interactive mode: save the finished record here without asking")
    .option("--time-zone <zone>", "IANA time zone for timestamps written without an offset (default: the machine's)")
    .addOption(new Option("--color <when>", "colour in text output: auto (a terminal, and NO_COLOR unset), always, never").choices(COLOR_MODES))
    .option("--no-color", "no colour in text output (same as --color never)")
    .addHelpText("after", EXAMPLES)
    .showHelpAfterError("(run 'screen --help' for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s.startsWith("error: ") ? `screen: ${s}` : s),
    });

  program.action((files: string[], opts: Options) =>
    run(async () => {
      if (!opts.interactive) return screenFiles(files, opts, io);
      if (files.length > 1) fail("--interactive takes at most one record file");
      return interactive(files[0], opts, io);
    }),
  );
  program
    .command("criteria")
    .description("list the trial's criteria with their ids and registry text")
    .action(() => run(() => listCriteria(program.opts<Options>(), io)));
  program
    .command("template")
    .description("print a screening spreadsheet's header row and one example row (--format csv)")
    .action(() => run(() => writeTemplate(program.opts<Options>(), io)));
  program
    .command("coverage")
    .description("for a set of inputs: how many supplied each record field, and the codes in the data the mapping does not use (--format text or json)")
    .argument("[files...]", "inputs, as for screening: Bundles, sheets, records; '-' reads standard input")
    .action((files: string[]) => run(() => coverage(files, program.opts<Options>(), io)));
  program
    .command("ask")
    .description("bedside interactive mode (same as --interactive)")
    .argument("[file]", "a partial record to resume")
    .action((file: string | undefined) => run(() => interactive(file, program.opts<Options>(), io)));
  program.enablePositionalOptions(false);
  return program;
}

/** Runs the command line `argv` (as process.argv: node, script, args…) against `io`; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, async (action) => {
    code = await action();
  });
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
