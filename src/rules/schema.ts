/**
 * The rules file's own schema. A rules file declares the record's fields, its labs (units,
 * plausibility, site reference ranges), contradictions, and the criteria as conditions over
 * fields. The engine reads nothing else, so it knows nothing about any disease.
 */
import {
  array,
  boolean,
  describe,
  discriminatedUnion,
  enum as oneOf,
  int,
  lazy,
  literal,
  minLength,
  number,
  optional,
  positive,
  record,
  regex,
  strictObject,
  string,
  toJSONSchema,
  tuple,
  union,
  _default,
  type output,
  type ZodMiniType,
} from "zod/mini";
import "./zod-messages.js";

const path = string().check(regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, "a dotted field path such as stroke.nihss"));
const decimal = string().check(regex(/^-?\d+(\.\d+)?(\/\d+(\.\d+)?)?$/, 'a decimal written as a string, e.g. "2.5", or a fraction such as "1/2.8"'));
const duration = string().check(regex(/^\d+(\.\d+)?(min|h|d)$/, 'a duration such as "48h", "14d" or "30min"'));
const scalar = union([string(), number(), boolean()]);

const common = {
  label: string().check(minLength(1)),
  description: optional(string()),
  nullable: optional(boolean()),
  nullMeans: optional(string()),
};

export const fieldSchema = discriminatedUnion("type", [
  strictObject({ type: literal("string"), ...common }),
  strictObject({ type: literal("boolean"), ...common, yes: optional(string()), no: optional(string()) }),
  strictObject({ type: literal("integer"), ...common, min: int(), max: int() }),
  strictObject({
    type: literal("enum"),
    ...common,
    values: array(string()).check(minLength(1)),
    unknownValues: optional(array(string())).check(describe("values that are recorded but decide nothing, e.g. an indeterminate test")),
  }),
  strictObject({
    type: literal("timestamp"),
    ...common,
    allowDate: optional(boolean()),
    notAfterScreening: optional(boolean()),
    notBeforeDate: optional(path),
    labelWhen: optional(strictObject({ field: path, label: string() })),
  }),
  strictObject({
    type: literal("date"),
    ...common,
    notAfterScreening: optional(boolean()),
  }),
]);

const unitSchema = strictObject({
  factor: decimal.check(describe("multiply a value in this unit by factor to get the lab's base unit")),
  plausible: tuple([number(), number()]),
  name: optional(string()),
});

const siteRange = strictObject({
  sex: optional(string()),
  ageFrom: optional(int()),
  ageBelow: optional(int()),
  uln: decimal,
});

export const labSchema = strictObject({
  label: string().check(minLength(1)),
  units: optional(record(string(), unitSchema)),
  plausible: optional(tuple([number(), number()])).check(describe("for a lab without a unit")),
  readsUln: optional(boolean()),
  siteUln: optional(strictObject({ unit: string(), ranges: array(siteRange).check(minLength(1)) })),
});

/** A condition as the rules file writes it; compiled into `conditions/types.ts`'s tagged union. */
export type ConditionDecl =
  | { all: ConditionDecl[] }
  | { any: ConditionDecl[] }
  | { not: ConditionDecl }
  | { field: string; op: CompareOp; value: ScalarValue | ScalarValue[]; falseIsUnknown?: string }
  | { elapsed: { since: string; min?: string; max?: string } }
  | { lab: string; op: OrderOp; value: string; unit?: string }
  | { lab: string; op: OrderOp; timesUln: string }
  | { withinMonths: { field: string; months: number } };

export type ScalarValue = string | number | boolean;
export const compareOps = ["eq", "ne", "lt", "le", "gt", "ge", "in", "between"] as const;
export const orderOps = ["lt", "le", "gt", "ge"] as const;
export type CompareOp = (typeof compareOps)[number];
export type OrderOp = (typeof orderOps)[number];

export const conditionSchema: ZodMiniType<ConditionDecl> = lazy(() =>
  union([
    strictObject({ all: array(conditionSchema).check(minLength(1)) }),
    strictObject({ any: array(conditionSchema).check(minLength(1)) }),
    strictObject({ not: conditionSchema }),
    strictObject({
      field: path,
      op: oneOf(compareOps),
      value: union([scalar, array(scalar).check(minLength(1))]),
      falseIsUnknown: optional(string()).check(describe("when the comparison is false, the part is unknown and this says what would decide it")),
    }),
    strictObject({ elapsed: strictObject({ since: path, min: optional(duration), max: optional(duration) }) }),
    strictObject({ lab: string(), op: oneOf(orderOps), value: decimal, unit: optional(string()) }),
    strictObject({ lab: string(), op: oneOf(orderOps), timesUln: decimal }),
    strictObject({ withinMonths: strictObject({ field: path, months: int().check(positive()) }) }),
  ]),
);

const criterionBase = {
  id: string().check(regex(/^[A-Z]+-\d+$/, "an id such as INC-01")),
  short: string().check(minLength(1)),
  text: string().check(minLength(1), describe("quoted from the trial's registry record")),
  appliesWhen: optional(conditionSchema),
};

export const criterionSchema = discriminatedUnion("category", [
  strictObject({ category: literal("inclusion"), ...criterionBase, passWhen: conditionSchema }),
  strictObject({ category: literal("exclusion"), ...criterionBase, failWhen: conditionSchema }),
]);

export const rulesSchema = strictObject({
  $schema: optional(string()),
  trial: string().check(minLength(1)),
  version: string().check(minLength(1)),
  title: optional(string()),
  source: optional(string()),
  subject: strictObject({
    id: path,
    screenedAt: path,
    birthDate: path,
    age: path,
    sex: path,
  }),
  fields: record(path, fieldSchema),
  labs: record(string().check(regex(/^[a-z][a-zA-Z0-9]*$/)), labSchema),
  constraints: _default(array(strictObject({ path, message: string(), invalidWhen: conditionSchema })), []),
  criteria: array(criterionSchema).check(minLength(1)),
});

export type RulesFile = output<typeof rulesSchema>;
export type FieldDecl = output<typeof fieldSchema>;
export type LabDecl = output<typeof labSchema>;
export type CriterionDecl = output<typeof criterionSchema>;

/** JSON Schema of the rules file, for editors (written to rules/rules.schema.json by the build). */
export function rulesJsonSchema(): unknown {
  return toJSONSchema(rulesSchema, { io: "input", unrepresentable: "any" });
}
