/** The contract's exit codes (§4), aggregated over every result of a run. */
export const EXIT = { eligible: 0, ineligible: 1, usage: 2, incomplete: 3 } as const;

export function exitCodeFor(verdicts: Iterable<string>): number {
  let ineligible = false;
  let incomplete = false;
  for (const v of verdicts) {
    if (v === "error") return EXIT.usage;
    if (v === "ineligible") ineligible = true;
    else if (v === "incomplete") incomplete = true;
  }
  return ineligible ? EXIT.ineligible : incomplete ? EXIT.incomplete : EXIT.eligible;
}
