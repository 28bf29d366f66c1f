/**
 * Results for the document tests (checklist, PDF, report): one of each verdict, built with
 * `screen()` from the shared test records, with positions and sources as a batch would attach.
 */
import { positioned, type OutputResult, type SourceMap } from "../../src/result.js";
import { eligibleRecord, rules, run, withPath, withoutPath } from "./records.js";

/** A patient id written to break out of HTML if anything printed it unescaped. */
export const HOSTILE_ID = `<img src=x onerror="alert(1)">&"'`;

export function documentResults(): OutputResult[] {
  const sources: SourceMap = {
    "stroke.nihss": { row: 3, column: "stroke.nihss", letter: "L" },
    "labs.alt.value": { resource: "Observation/alt-1", code: "http://loinc.org|1742-6", element: "valueQuantity" },
  };
  return [
    positioned(run(eligibleRecord()), { line: 1 }),
    positioned(run(withPath(withPath(eligibleRecord(), "id", "T-0002"), "stroke.nihss", 4)), { line: 2, sources }),
    positioned(run(withoutPath(withPath(eligibleRecord(), "id", HOSTILE_ID), "labs.bun", "stroke.aspects")), { line: 3 }),
    positioned(run(withPath(withPath(eligibleRecord(), "id", "T-0004"), "stroke.nihss", "nine")), { line: 4 }),
  ];
}

export { rules };
