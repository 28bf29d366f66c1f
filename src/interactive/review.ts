/**
 * The review before saving: every answer in the record (and each one skipped this session), any
 * of which can be changed — re-asked with the same checks as the first time — and then saved.
 */
import type { CompiledRules } from "../rules/compiled.js";
import { questionOrder, type Question } from "./planner.js";
import { type Answer, type AskEnv, ask, askScreeningTime, labelOf } from "./questions.js";
import { getAt, hasAt, isPlainObject } from "../text/paths.js";

export type ReviewChoice =
  | { readonly kind: "save" }
  | { readonly kind: "discard" }
  /** `value` undefined: the answer is now unknown (removed from the record). */
  | { readonly kind: "edit"; readonly path: string; readonly value?: unknown; readonly offsetTyped?: boolean };

interface Item {
  readonly path: string;
  readonly label: string;
  readonly shown: string;
}

/** What the review lists: the record's answers and the skipped questions, in asking order. */
export function reviewItems(rules: CompiledRules, record: unknown, skipped: ReadonlySet<string>): Item[] {
  const { id, screenedAt } = rules.file.subject;
  const paths = [...new Set([id, screenedAt, ...questionOrder(rules)])];
  return paths
    .filter((p) => hasAt(record, p) || skipped.has(p))
    .map((path) => ({ path, label: capitalised(labelOf(rules, path)), shown: hasAt(record, path) ? shownValue(rules, path, getAt(record, path)) : "unknown" }));
}

/** "yes", "none", "80 umol/L": a value as the questions offered it. */
export function shownValue(rules: CompiledRules, path: string, value: unknown): string {
  if (value === null) return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (isPlainObject(value) && rules.labs.has(path.replace(/^labs\./, ""))) return `${String(value.value)}${typeof value.unit === "string" ? ` ${value.unit}` : ""}`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Shows the answers given in this session (`answered`; a resumed record's others are only counted,
 * so the report stays on screen) and asks: save, change any answer (re-asked), or do not save.
 */
export async function review(rules: CompiledRules, env: AskEnv, skipped: ReadonlySet<string>, answered: ReadonlySet<string>): Promise<ReviewChoice> {
  const { ui } = env;
  const theme = ui.theme as never;
  for (;;) {
    const items = reviewItems(rules, env.record, skipped);
    const listed = items.filter((i) => answered.has(i.path));
    const others = items.length - listed.length;
    ui.line(ui.style.bold(listed.length ? "Review: the answers given in this session" : "Review: no answers were given in this session"));
    for (const item of listed) ui.line(`  ${item.label}: ${item.shown}`);
    if (others) ui.note(`  and ${others} ${others === 1 ? "answer" : "answers"} from the record resumed; “change an answer first” lists every one`);
    const choice = await ui.prompts.select<string>({
      message: "Save the record as JSON?",
      choices: [
        { name: "yes — save it", value: "save", short: "yes" },
        { name: "change an answer first", value: "change", short: "change" },
        { name: "no — do not save", value: "discard", short: "no" },
      ],
      default: "save",
      theme,
    });
    if (choice === "save" || choice === "discard") return { kind: choice };
    const BACK = "\u0000back";
    const path = await ui.prompts.select<string>({
      message: "Which answer?",
      choices: [...items.map((i) => ({ name: `${i.label}: ${i.shown}`, value: i.path, short: i.label })), { name: "back — change nothing", value: BACK, short: "back" }],
      pageSize: Math.min(items.length + 1, 15),
      theme,
    });
    if (path === BACK) continue;
    const edit = await reAsk(rules, env, path);
    if (edit) return edit;
  }
}

/** Asks `path` again; undefined when the user went back without answering. */
async function reAsk(rules: CompiledRules, env: AskEnv, path: string): Promise<ReviewChoice | undefined> {
  if (path === rules.file.subject.screenedAt) {
    const answer = await askScreeningTime(path, rules.fields.get(path)?.label ?? "screening time", env);
    return answer === undefined ? undefined : { kind: "edit", path, value: answer.text, offsetTyped: answer.offsetTyped };
  }
  const kind: Question["kind"] = rules.fields.has(path) ? "field" : path.endsWith(".uln") ? "uln" : "lab";
  if (hasAt(env.record, path) && kind !== "field") env.ui.note(`  now: ${shownValue(rules, path, getAt(env.record, path))}`);
  const answer: Answer = await ask({ path, kind }, env);
  if (answer.kind === "back") return undefined;
  return answer.kind === "set" ? { kind: "edit", path, value: answer.value } : { kind: "edit", path };
}

function capitalised(text: string): string {
  const first = text.split(/\s/, 1)[0] ?? "";
  return first === first.toLowerCase() ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
