/**
 * Which way a lab value decides against the patient, read from the criteria: a limit in an
 * inclusion's passWhen (`creatinine ≤ 1.25 × ULN`) makes higher values less favourable; one in an
 * exclusion's failWhen (`platelets < 100`) makes lower ones less favourable. `not` flips it.
 */
import type { CompiledRules } from "../compiled.js";
import { walkPolar } from "../conditions/index.js";

/** "low" when lower values are less favourable, "high" when higher ones are; undefined when the criteria disagree or none reads the lab. */
export function unfavourableDirection(rules: CompiledRules, labPath: string): "low" | "high" | undefined {
  const names = new Set([...rules.labs.values()].filter((l) => l.path === labPath).map((l) => l.name));
  const votes = new Set<"low" | "high">();
  for (const c of rules.criteria) {
    for (const [node, positive] of walkPolar(c.condition)) {
      if ((node.kind !== "labLimit" && node.kind !== "labUln") || !names.has(node.lab)) continue;
      const trueFavours = positive === (c.category === "inclusion");
      const trueWhenLow = node.op === "lt" || node.op === "le";
      votes.add(trueWhenLow === trueFavours ? "high" : "low");
    }
  }
  return votes.size === 1 ? [...votes][0] : undefined;
}
