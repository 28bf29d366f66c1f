/**
 * Three-valued (Kleene) logic, in one place. `null` is "unknown", as in HL7 CQL.
 * Nothing else in the code base re-derives these truth tables.
 */
export type Truth = true | false | null;

export function and(values: readonly Truth[]): Truth {
  let unknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === null) unknown = true;
  }
  return unknown ? null : true;
}

export function or(values: readonly Truth[]): Truth {
  let unknown = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === null) unknown = true;
  }
  return unknown ? null : false;
}

export function not(value: Truth): Truth {
  return value === null ? null : !value;
}

export type Outcome = "pass" | "fail" | "unknown" | "not_applicable";
export type Verdict = "eligible" | "ineligible" | "incomplete";

/** An inclusion criterion passes when its condition holds; an exclusion fails when its finding holds. */
export function outcomeOf(truth: Truth, polarity: "passWhen" | "failWhen"): Outcome {
  if (truth === null) return "unknown";
  const holds = polarity === "passWhen" ? truth : !truth;
  return holds ? "pass" : "fail";
}

/** Missing data never yields eligible: any unknown outcome without a failure is incomplete. */
export function verdictOf(outcomes: readonly Outcome[]): Verdict {
  return verdictFrom(outcomes.includes("fail"), outcomes.includes("unknown"));
}

/** The same verdict from whether any criterion failed and whether any is unknown (for a caller that has counted them). */
export function verdictFrom(anyFail: boolean, anyUnknown: boolean): Verdict {
  if (anyFail) return "ineligible";
  if (anyUnknown) return "incomplete";
  return "eligible";
}
