/** `screen coverage FILE…`: what the inputs supply and which of their codes the mapping does not use. */
import { CoverageCollector } from "../input/coverage.js";
import { readInput } from "../input/read-input.js";
import { renderCoverage } from "../report/coverage.js";
import { fail, type CliIo } from "./io.js";
import { useRules, type Options } from "./options.js";
import { screenOptionsFor, sourcesFor } from "./screen-files.js";

export async function coverage(files: string[], opts: Options, io: CliIo): Promise<number> {
  if (opts.format !== "text" && opts.format !== "json") fail(`'screen coverage' writes text or json, not ${opts.format}`);
  const rules = await useRules(opts.rules, io);
  const screen = screenOptionsFor(opts, io);
  const sources = sourcesFor(files, io);
  // The mapping's system labels ("LOINC") make the code list readable; loaded only here.
  const { loadFhirMapping } = await import("../rules/mapping/fhir.js");
  const collector = new CoverageCollector(rules, loadFhirMapping(rules).label);
  for (const source of sources) {
    for await (const item of readInput(source, source.name, { rules, screen, ...(opts.from ? { from: opts.from } : {}) })) collector.add(item);
  }
  const report = collector.report();
  if (report.inputs === 0) fail("the input holds no record", "");
  io.stdout.write(renderCoverage(report, opts.format));
  return 0;
}
