/**
 * Cross-checks a schema-valid rules file: what a JSON schema cannot say. Each problem names the
 * rule (criteria[i] (ID)) and the place in it, so a rules author can go straight there.
 */
import { parseRational, signOf } from "../numbers/rational.js";
import { checkCondition, compileCondition } from "./conditions/index.js";
import type { CheckScope } from "./conditions/types.js";
import type { FieldDecl, LabDecl, RulesFile } from "./schema.js";

interface Problem {
  path: string;
  message: string;
}

const LAB_PARTS = new Set(["value", "unit", "uln"]);

export function checkRules(file: RulesFile): Problem[] {
  const problems: Problem[] = [];
  const fields = new Map<string, FieldDecl>(Object.entries(file.fields));
  const labPaths = new Set(Object.keys(file.labs).map((n) => `labs.${n}`));
  const scope: CheckScope = { fields, labs: file.labs, labPaths, problems };
  checkPaths(scope);
  checkSubject(file, scope);
  for (const [p, d] of fields) checkField(p, d, scope);
  for (const [name, lab] of Object.entries(file.labs)) checkLab(file, name, lab, scope);
  checkConditions(file, scope);
  return problems;
}

/** A path cannot be both a field and a group of fields (stroke and stroke.onset). */
function checkPaths({ fields, labPaths, problems }: CheckScope): void {
  const all = [...fields.keys(), ...labPaths];
  for (const p of all) {
    for (const q of all) if (q.startsWith(p + ".")) problems.push({ path: `fields.${p}`, message: `is a field, yet ${q} treats it as a group` });
  }
}

function checkSubject(file: RulesFile, { fields, problems }: CheckScope): void {
  for (const [role, p] of Object.entries(file.subject)) {
    if (!fields.has(p)) problems.push({ path: `subject.${role}`, message: `names ${p}, which is not a declared field` });
  }
  const sexDecl = fields.get(file.subject.sex);
  if (sexDecl && sexDecl.type !== "enum") problems.push({ path: "subject.sex", message: "must name an enum field" });
  const typeOf = (role: keyof RulesFile["subject"], want: FieldDecl["type"]) => {
    const d = fields.get(file.subject[role]);
    if (d && d.type !== want) problems.push({ path: `subject.${role}`, message: `must name a ${want} field, not ${d.type}` });
  };
  typeOf("screenedAt", "timestamp");
  typeOf("birthDate", "date");
  typeOf("age", "integer");
  typeOf("id", "string");
}

function checkField(p: string, d: FieldDecl, { fields, problems }: CheckScope): void {
  if (d.nullable && !d.nullMeans) problems.push({ path: `fields.${p}.nullMeans`, message: "a nullable field needs nullMeans: what null stands for" });
  if (d.type === "integer" && d.min > d.max) problems.push({ path: `fields.${p}`, message: `min ${d.min} is above max ${d.max}` });
  if (d.type === "enum") for (const v of d.unknownValues ?? []) if (!d.values.includes(v)) problems.push({ path: `fields.${p}.unknownValues`, message: `"${v}" is not one of its values` });
  if (d.type === "timestamp") {
    if (d.notBeforeDate && fields.get(d.notBeforeDate)?.type !== "date") problems.push({ path: `fields.${p}.notBeforeDate`, message: `${d.notBeforeDate} is not a declared date field` });
    if (d.labelWhen && fields.get(d.labelWhen.field)?.type !== "boolean") problems.push({ path: `fields.${p}.labelWhen.field`, message: `${d.labelWhen.field} is not a declared boolean field` });
  }
}

function checkLab(file: RulesFile, name: string, lab: LabDecl, { fields, problems }: CheckScope): void {
  const at = `labs.${name}`;
  const units = Object.keys(lab.units ?? {});
  if (!units.length && !lab.plausible) problems.push({ path: at, message: "needs units, or plausible for a lab without a unit" });
  for (const [u, def] of Object.entries(lab.units ?? {})) {
    const f = parseRational(def.factor);
    if (!f || signOf(f) <= 0) problems.push({ path: `${at}.units.${u}.factor`, message: "must be a positive number" });
    if (def.plausible[0] > def.plausible[1]) problems.push({ path: `${at}.units.${u}.plausible`, message: "low bound above high bound" });
  }
  if (lab.siteUln) {
    const sexDecl = fields.get(file.subject.sex);
    const sexValues = sexDecl?.type === "enum" ? sexDecl.values : [];
    if (!units.includes(lab.siteUln.unit)) problems.push({ path: `${at}.siteUln.unit`, message: `"${lab.siteUln.unit}" is not one of the lab's units (${units.join(", ")})` });
    lab.siteUln.ranges.forEach((r, i) => {
      if (r.sex !== undefined && !sexValues.includes(r.sex)) problems.push({ path: `${at}.siteUln.ranges[${i}].sex`, message: `"${r.sex}" is not a value of ${file.subject.sex}` });
      const v = parseRational(r.uln);
      if (!v || signOf(v) <= 0) problems.push({ path: `${at}.siteUln.ranges[${i}].uln`, message: "must be a positive number" });
    });
  }
  for (const part of LAB_PARTS) if (fields.has(`${at}.${part}`)) problems.push({ path: `fields.${at}.${part}`, message: "labs are declared under labs, not fields" });
}

function checkConditions(file: RulesFile, scope: CheckScope): void {
  const { fields, labPaths, problems } = scope;
  const seen = new Map<string, number>();
  file.criteria.forEach((c, i) => {
    const at = `criteria[${i}] (${c.id})`;
    if (seen.has(c.id)) problems.push({ path: `${at}.id`, message: `duplicate id: also criteria[${seen.get(c.id)}]` });
    seen.set(c.id, i);
    if (c.appliesWhen) checkCondition(compileCondition(c.appliesWhen), `${at}.appliesWhen`, scope);
    if (c.category === "inclusion") checkCondition(compileCondition(c.passWhen), `${at}.passWhen`, scope);
    else checkCondition(compileCondition(c.failWhen), `${at}.failWhen`, scope);
  });
  file.constraints.forEach((c, i) => {
    if (!fields.has(c.path) && !labPaths.has(c.path)) problems.push({ path: `constraints[${i}].path`, message: `${c.path} is not a declared field` });
    checkCondition(compileCondition(c.invalidWhen), `constraints[${i}].invalidWhen`, scope);
  });
}
