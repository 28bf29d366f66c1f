/** Rules after loading: validated, cross-checked, with exact numbers and conditions compiled once per process. */
import type { Rational } from "../numbers/rational.js";
import type { RulesMeta } from "../result.js";
import type { Condition } from "./conditions/types.js";
import type { FieldDecl, LabDecl, RulesFile } from "./schema.js";

export type { RulesMeta };

export interface CompiledUnit {
  readonly factor: Rational; // value in this unit × factor = value in the lab's base unit
  readonly plausible: readonly [number, number];
  readonly name?: string;
}

export interface CompiledSiteRange {
  readonly sex?: string;
  readonly ageFrom?: number;
  readonly ageBelow?: number;
  readonly uln: Rational;
  readonly ulnText: string;
}

export interface CompiledLab {
  readonly name: string;
  readonly path: string; // labs.<name>
  readonly decl: LabDecl;
  readonly units: ReadonlyMap<string, CompiledUnit>; // empty for a lab without a unit
  readonly siteUln?: { readonly unit: string; readonly ranges: readonly CompiledSiteRange[] };
}

export interface CompiledCriterion {
  readonly id: string;
  readonly category: "inclusion" | "exclusion";
  readonly short: string;
  readonly text: string;
  readonly appliesWhen?: Condition;
  /** passWhen of an inclusion, failWhen of an exclusion. */
  readonly condition: Condition;
  readonly polarity: "passWhen" | "failWhen";
}

export interface CompiledConstraint {
  readonly path: string;
  readonly message: string;
  readonly invalidWhen: Condition;
  /** Whether it looks at the screening time: without one it cannot be checked. */
  readonly readsScreeningTime: boolean;
}

export interface CompiledRules {
  readonly meta: RulesMeta;
  readonly file: RulesFile;
  readonly source: string; // where the rules were read from
  readonly fields: ReadonlyMap<string, FieldDecl>; // declared non-lab fields, in file order
  readonly labs: ReadonlyMap<string, CompiledLab>; // by lab name
  readonly criteria: readonly CompiledCriterion[];
  readonly constraints: readonly CompiledConstraint[];
  /** Every record path a criterion can read, in declaration order (labs as labs.<name>). */
  readonly fieldOrder: readonly string[];
  /** A person's word for every field and lab path (labs.<name> → its label). */
  readonly labels: ReadonlyMap<string, string>;
}

export type { Condition };
