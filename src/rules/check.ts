/**
 * Cross-checks a schema-valid rules file: what a JSON schema cannot say. Each problem names the
 * rule (criteria[i] (ID)) and the place in it, so a rules author can go straight there.
 */
import { parseRational } from "../numbers/rational.js";
import type { Condition, FieldDecl, RulesFile } from "./schema.js";

interface Problem {
  path: string;
  message: string;
}

const LAB_PARTS = new Set(["value", "unit", "uln"]);

export function checkRules(file: RulesFile): Problem[] {
  const problems: Problem[] = [];
  const fields = new Map<string, FieldDecl>(Object.entries(file.fields));
  const labPaths = new Set(Object.keys(file.labs).map((n) => `labs.${n}`));
  const known = (p: string) => fields.has(p) || labPaths.has(p);

  // A path cannot be both a field and a group of fields (stroke and stroke.onset).
  const all = [...fields.keys(), ...labPaths];
  for (const p of all) {
    for (const q of all) if (q.startsWith(p + ".")) problems.push({ path: `fields.${p}`, message: `is a field, yet ${q} treats it as a group` });
  }

  for (const [role, p] of Object.entries(file.subject)) {
    if (!fields.has(p)) problems.push({ path: `subject.${role}`, message: `names ${p}, which is not a declared field` });
  }
  const sexDecl = fields.get(file.subject.sex);
  const sexValues = sexDecl?.type === "enum" ? sexDecl.values : [];
  if (sexDecl && sexDecl.type !== "enum") problems.push({ path: "subject.sex", message: "must name an enum field" });
  const typeOf = (role: keyof RulesFile["subject"], want: FieldDecl["type"]) => {
    const d = fields.get(file.subject[role]);
    if (d && d.type !== want) problems.push({ path: `subject.${role}`, message: `must name a ${want} field, not ${d.type}` });
  };
  typeOf("screenedAt", "timestamp");
  typeOf("birthDate", "date");
  typeOf("age", "integer");
  typeOf("id", "string");

  for (const [p, d] of fields) {
    if (d.nullable && !d.nullMeans) problems.push({ path: `fields.${p}.nullMeans`, message: "a nullable field needs nullMeans: what null stands for" });
    if (d.type === "integer" && d.min > d.max) problems.push({ path: `fields.${p}`, message: `min ${d.min} is above max ${d.max}` });
    if (d.type === "enum") for (const v of d.unknownValues ?? []) if (!d.values.includes(v)) problems.push({ path: `fields.${p}.unknownValues`, message: `"${v}" is not one of its values` });
    if (d.type === "timestamp") {
      if (d.notBeforeDate && fields.get(d.notBeforeDate)?.type !== "date") problems.push({ path: `fields.${p}.notBeforeDate`, message: `${d.notBeforeDate} is not a declared date field` });
      if (d.labelWhen && fields.get(d.labelWhen.field)?.type !== "boolean") problems.push({ path: `fields.${p}.labelWhen.field`, message: `${d.labelWhen.field} is not a declared boolean field` });
    }
  }

  for (const [name, lab] of Object.entries(file.labs)) {
    const at = `labs.${name}`;
    const units = Object.keys(lab.units ?? {});
    if (!units.length && !lab.plausible) problems.push({ path: at, message: "needs units, or plausible for a lab without a unit" });
    for (const [u, def] of Object.entries(lab.units ?? {})) {
      const f = parseRational(def.factor);
      if (!f || f.n <= 0n) problems.push({ path: `${at}.units.${u}.factor`, message: "must be a positive number" });
      if (def.plausible[0] > def.plausible[1]) problems.push({ path: `${at}.units.${u}.plausible`, message: "low bound above high bound" });
    }
    if (lab.siteUln) {
      if (!units.includes(lab.siteUln.unit)) problems.push({ path: `${at}.siteUln.unit`, message: `"${lab.siteUln.unit}" is not one of the lab's units (${units.join(", ")})` });
      lab.siteUln.ranges.forEach((r, i) => {
        if (r.sex !== undefined && !sexValues.includes(r.sex)) problems.push({ path: `${at}.siteUln.ranges[${i}].sex`, message: `"${r.sex}" is not a value of ${file.subject.sex}` });
        const v = parseRational(r.uln);
        if (!v || v.n <= 0n) problems.push({ path: `${at}.siteUln.ranges[${i}].uln`, message: "must be a positive number" });
      });
    }
    for (const part of LAB_PARTS) if (fields.has(`${at}.${part}`)) problems.push({ path: `fields.${at}.${part}`, message: "labs are declared under labs, not fields" });
  }

  const seen = new Map<string, number>();
  file.criteria.forEach((c, i) => {
    const at = `criteria[${i}] (${c.id})`;
    if (seen.has(c.id)) problems.push({ path: `${at}.id`, message: `duplicate id: also criteria[${seen.get(c.id)}]` });
    seen.set(c.id, i);
    if (c.appliesWhen) checkCondition(c.appliesWhen, `${at}.appliesWhen`);
    if (c.category === "inclusion") checkCondition(c.passWhen, `${at}.passWhen`);
    else checkCondition(c.failWhen, `${at}.failWhen`);
  });
  file.constraints.forEach((c, i) => {
    if (!known(c.path)) problems.push({ path: `constraints[${i}].path`, message: `${c.path} is not a declared field` });
    checkCondition(c.invalidWhen, `constraints[${i}].invalidWhen`);
  });
  return problems;

  function checkCondition(cond: Condition, at: string): void {
    if ("all" in cond) return cond.all.forEach((c, i) => checkCondition(c, `${at}.all[${i}]`));
    if ("any" in cond) return cond.any.forEach((c, i) => checkCondition(c, `${at}.any[${i}]`));
    if ("not" in cond) return checkCondition(cond.not, `${at}.not`);
    if ("field" in cond) return checkCompare(cond, at);
    if ("elapsed" in cond) {
      const d = fields.get(cond.elapsed.since);
      if (d?.type !== "timestamp") problems.push({ path: `${at}.elapsed.since`, message: `${cond.elapsed.since} is not a declared timestamp field` });
      if (!cond.elapsed.min && !cond.elapsed.max) problems.push({ path: `${at}.elapsed`, message: "needs min, max or both" });
      return;
    }
    if ("withinMonths" in cond) {
      if (fields.get(cond.withinMonths.field)?.type !== "date") problems.push({ path: `${at}.withinMonths.field`, message: `${cond.withinMonths.field} is not a declared date field` });
      return;
    }
    if ("lab" in cond) {
      const lab = file.labs[cond.lab];
      if (!lab || !Object.hasOwn(file.labs, cond.lab)) {
        problems.push({ path: `${at}.lab`, message: `"${cond.lab}" is not a declared lab (${Object.keys(file.labs).join(", ")})` });
        return;
      }
      if ("timesUln" in cond) {
        if (!lab.readsUln && !lab.siteUln) problems.push({ path: `${at}.timesUln`, message: `lab ${cond.lab} has neither readsUln nor siteUln` });
      } else {
        const units = Object.keys(lab.units ?? {});
        if (units.length && (cond.unit === undefined || !units.includes(cond.unit))) problems.push({ path: `${at}.unit`, message: `must be one of ${units.map((u) => `"${u}"`).join(", ")}` });
        if (!units.length && cond.unit !== undefined) problems.push({ path: `${at}.unit`, message: `lab ${cond.lab} has no unit` });
      }
    }
  }

  function checkCompare(cond: Extract<Condition, { field: string }>, at: string): void {
    const d = fields.get(cond.field);
    if (!d) {
      problems.push({ path: `${at}.field`, message: `${cond.field} is not a declared field${labPaths.has(cond.field) ? " (compare labs with a lab condition)" : ""}` });
      return;
    }
    const values = Array.isArray(cond.value) ? cond.value : [cond.value];
    const many = cond.op === "in" || cond.op === "between";
    if (many !== Array.isArray(cond.value)) problems.push({ path: `${at}.value`, message: many ? `op ${cond.op} takes an array` : `op ${cond.op} takes a single value` });
    if (cond.op === "between" && values.length !== 2) problems.push({ path: `${at}.value`, message: "between takes [low, high]" });
    const ordered = ["lt", "le", "gt", "ge", "between"].includes(cond.op);
    if (ordered && d.type !== "integer") problems.push({ path: `${at}.op`, message: `${cond.op} needs a numeric field; ${cond.field} is ${d.type}` });
    for (const v of values) {
      const ok =
        d.type === "boolean" ? typeof v === "boolean" :
        d.type === "integer" ? typeof v === "number" :
        d.type === "enum" ? typeof v === "string" && d.values.includes(v) :
        d.type === "string" ? typeof v === "string" : false;
      if (!ok) problems.push({ path: `${at}.value`, message: `${JSON.stringify(v)} does not fit ${cond.field} (${d.type === "enum" ? d.values.map((x) => `"${x}"`).join(", ") : d.type})` });
    }
  }
}
