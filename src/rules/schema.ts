/**
 * The rules file's own schema. A rules file declares the record's fields, its labs (units,
 * plausibility, site reference ranges), contradictions, and the criteria as conditions over
 * fields. The engine reads nothing else, so it knows nothing about any disease.
 */
import { z } from "zod";

const path = z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, "a dotted field path such as stroke.nihss");
const decimal = z.string().regex(/^-?\d+(\.\d+)?(\/\d+(\.\d+)?)?$/, 'a decimal written as a string, e.g. "2.5", or a fraction such as "1/2.8"');
const duration = z.string().regex(/^\d+(\.\d+)?(min|h|d)$/, 'a duration such as "48h", "14d" or "30min"');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const common = {
  label: z.string().min(1),
  description: z.string().optional(),
  nullable: z.boolean().optional(),
  nullMeans: z.string().optional(),
};

export const fieldSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("string"), ...common }),
  z.strictObject({ type: z.literal("boolean"), ...common, yes: z.string().optional(), no: z.string().optional() }),
  z.strictObject({ type: z.literal("integer"), ...common, min: z.number().int(), max: z.number().int() }),
  z.strictObject({
    type: z.literal("enum"),
    ...common,
    values: z.array(z.string()).min(1),
    unknownValues: z.array(z.string()).optional().describe("values that are recorded but decide nothing, e.g. an indeterminate test"),
  }),
  z.strictObject({
    type: z.literal("timestamp"),
    ...common,
    allowDate: z.boolean().optional(),
    notAfterScreening: z.boolean().optional(),
    notBeforeDate: path.optional(),
    labelWhen: z.strictObject({ field: path, label: z.string() }).optional(),
  }),
  z.strictObject({
    type: z.literal("date"),
    ...common,
    notAfterScreening: z.boolean().optional(),
  }),
]);

const unitSchema = z.strictObject({
  factor: decimal.describe("multiply a value in this unit by factor to get the lab's base unit"),
  plausible: z.tuple([z.number(), z.number()]),
  name: z.string().optional(),
});

const siteRange = z.strictObject({
  sex: z.string().optional(),
  ageFrom: z.number().int().optional(),
  ageBelow: z.number().int().optional(),
  uln: decimal,
});

export const labSchema = z.strictObject({
  label: z.string().min(1),
  units: z.record(z.string(), unitSchema).optional(),
  plausible: z.tuple([z.number(), z.number()]).optional().describe("for a lab without a unit"),
  readsUln: z.boolean().optional(),
  siteUln: z.strictObject({ unit: z.string(), ranges: z.array(siteRange).min(1) }).optional(),
});

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
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

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({
      field: path,
      op: z.enum(compareOps),
      value: z.union([scalar, z.array(scalar).min(1)]),
      falseIsUnknown: z.string().optional().describe("when the comparison is false, the part is unknown and this says what would decide it"),
    }),
    z.strictObject({ elapsed: z.strictObject({ since: path, min: duration.optional(), max: duration.optional() }) }),
    z.strictObject({ lab: z.string(), op: z.enum(orderOps), value: decimal, unit: z.string().optional() }),
    z.strictObject({ lab: z.string(), op: z.enum(orderOps), timesUln: decimal }),
    z.strictObject({ withinMonths: z.strictObject({ field: path, months: z.number().int().positive() }) }),
  ]),
);

const criterionBase = {
  id: z.string().regex(/^[A-Z]+-\d+$/, "an id such as INC-01"),
  short: z.string().min(1),
  text: z.string().min(1).describe("quoted from the trial's registry record"),
  appliesWhen: conditionSchema.optional(),
};

export const criterionSchema = z.discriminatedUnion("category", [
  z.strictObject({ category: z.literal("inclusion"), ...criterionBase, passWhen: conditionSchema }),
  z.strictObject({ category: z.literal("exclusion"), ...criterionBase, failWhen: conditionSchema }),
]);

export const rulesSchema = z.strictObject({
  $schema: z.string().optional(),
  trial: z.string().min(1),
  version: z.string().min(1),
  title: z.string().optional(),
  source: z.string().optional(),
  subject: z.strictObject({
    id: path,
    screenedAt: path,
    birthDate: path,
    age: path,
    sex: path,
  }),
  fields: z.record(path, fieldSchema),
  labs: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), labSchema),
  constraints: z.array(z.strictObject({ path, message: z.string(), invalidWhen: conditionSchema })).default([]),
  criteria: z.array(criterionSchema).min(1),
});

export type RulesFile = z.infer<typeof rulesSchema>;
export type FieldDecl = z.infer<typeof fieldSchema>;
export type LabDecl = z.infer<typeof labSchema>;
export type CriterionDecl = z.infer<typeof criterionSchema>;

/** JSON Schema of the rules file, for editors (written to rules/rules.schema.json by the build). */
export function rulesJsonSchema(): unknown {
  return z.toJSONSchema(rulesSchema, { io: "input", unrepresentable: "any" });
}
