/**
 * The screening questionnaire: each item's linkId is a record path, its answer the value. When
 * several responses answer the same item, the latest authored one is used.
 */
import type { ResourceSource } from "../../result.js";
import type { PatientContext, Res } from "./context.js";
import { normaliseTime } from "./time.js";
import { arr, isObject, nestedDeeperThan, str, type Json } from "./values.js";

/** A wrongly typed answer is passed on for validation to name, but only when it is small enough to describe. */
const MAX_ANSWER_DEPTH = 8;

export type Answers = Map<string, { value: unknown; source: ResourceSource }>;

/** Groups may nest to any depth: walked with an explicit stack (in document order), never recursively. */
function itemsOf(res: Res): Json[] {
  const items: Json[] = [];
  const stack: unknown[][] = [arr(res.json.item).slice().reverse()];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const it = top.pop();
    if (!top.length) stack.pop();
    if (!isObject(it)) continue;
    items.push(it);
    const children = [...arr(it.item), ...arr(it.answer).flatMap((a) => (isObject(a) ? arr(a.item) : []))];
    if (children.length) stack.push(children.reverse());
  }
  return items;
}

/** One item's answer as a record value, or undefined (with a warning or hold) when it gives none. */
function answerValue(pc: PatientContext, res: Res, it: Json): { linkId: string; value: unknown } | undefined {
  const q = pc.mapping.file.questionnaire;
  const { b } = pc;
  const linkId = str(it.linkId);
  const answers = arr(it.answer).filter(isObject);
  if (!linkId || !answers.length) return undefined;
  const decl = pc.rules.fields.get(linkId);
  if (!decl || q.exclude.includes(linkId)) {
    if (!arr(it.item).length) b.warn(linkId, `${res.ref} item "${linkId}" is not a record field the questionnaire may answer; ignored`);
    return undefined;
  }
  if (answers.length > 1) {
    b.warn(linkId, `${res.ref} item "${linkId}" has ${answers.length} answers; left unknown`);
    return undefined;
  }
  const a = answers[0]!;
  const key = Object.keys(a).find((k) => k.startsWith("value"));
  if (!key) return undefined;
  let value: unknown = a[key];
  if (key === "valueCoding" && isObject(value)) value = str(value.code) ?? value;
  else if (key === "valueQuantity" && isObject(value)) value = value.value;
  if (nestedDeeperThan(value, MAX_ANSWER_DEPTH)) {
    b.block(linkId, `${res.ref} item "${linkId}" has a ${key} nested more than ${MAX_ANSWER_DEPTH} levels deep, not a value any field takes; left unknown`);
    return undefined;
  }
  if (decl.nullable && typeof value === "string" && q.noneWords.some((w) => w.toLowerCase() === (value as string).toLowerCase())) value = null;
  else if (typeof value === "string" && (decl.type === "timestamp" || decl.type === "date")) value = normaliseTime(value);
  return { linkId, value };
}

export function readQuestionnaires(pc: PatientContext, qrs: readonly Res[]): Answers {
  const q = pc.mapping.file.questionnaire;
  const out = new Map<string, { value: unknown; source: ResourceSource; authored: string }>();
  const sorted = [...qrs].sort((a, b2) => (str(a.json.authored) ?? "").localeCompare(str(b2.json.authored) ?? ""));
  for (const res of sorted) {
    const canonical = (str(res.json.questionnaire) ?? "").split("|")[0]!;
    if (!q.urls.includes(canonical)) continue; // another questionnaire: listed as unmapped
    pc.used.add(res);
    const status = str(res.json.status);
    if (!status || !q.statuses.includes(status)) {
      pc.b.warn("", `${res.ref} has status ${status ?? "(none)"}, not ${q.statuses.join("/")}; its answers are not used`);
      continue;
    }
    const authored = str(res.json.authored) ?? "";
    for (const it of itemsOf(res)) {
      const answer = answerValue(pc, res, it);
      if (!answer) continue;
      const { linkId, value } = answer;
      const source: ResourceSource = { resource: res.ref, element: `item ${linkId}`, ...(authored ? { effective: authored } : {}) };
      const prev = out.get(linkId);
      if (prev && JSON.stringify(prev.value) !== JSON.stringify(value)) {
        pc.b.warn(linkId, `answered differently in ${prev.source.resource} and ${res.ref}; used the latest authored, ${res.ref}`);
      }
      out.set(linkId, { value, source, authored });
    }
  }
  return new Map([...out].map(([k, v]) => [k, { value: v.value, source: v.source }]));
}
