/**
 * One question per field, its prompt chosen by the field's declaration in the rules file:
 * boolean → yes / no / unknown; enum → its values + unknown; integer → a number; timestamp → ISO
 * text (a date where allowed); date → YYYY-MM-DD; nullable → a "none" choice; lab → value, then
 * unit; a lab's ULN → a number in the value's unit. Every question can be answered "unknown".
 *
 * Every answer is checked with the file-input rules before it is accepted (`check` screens the
 * record with the answer in it): a bad answer shows the message and is asked again.
 */
import { tzOffset } from "@date-fns/tz";
import type { CompiledLab, CompiledRules } from "../rules/compiled.js";
import type { FieldDecl } from "../rules/schema.js";
import { formatOffset, parseTime } from "../time/instant.js";
import type { Question } from "./planner.js";
import { getAt, hasAt, type JsonRecord } from "./record-paths.js";
import type { Ui } from "./ui.js";

export type Answer = { readonly kind: "skip" } | { readonly kind: "set"; readonly value: unknown };

export interface AskEnv {
  readonly rules: CompiledRules;
  readonly record: JsonRecord;
  readonly timeZone: string;
  readonly now: () => number;
  readonly ui: Ui;
  /** Why `value` at `path` would make the record invalid (the file-input message), else undefined. */
  readonly check: (path: string, value: unknown) => string | undefined;
}

export interface FieldOptions {
  /** Shown as the default (Enter accepts it). */
  readonly default?: string;
  /** The question cannot be skipped. */
  readonly required?: boolean;
  /** Extra words after the question. */
  readonly hint?: string;
}

const SKIP: unique symbol = Symbol("skip");
const SKIP_CHOICE = { name: "unknown — skip", value: SKIP, short: "unknown" } as const;
const skip: Answer = { kind: "skip" };
const set = (value: unknown): Answer => ({ kind: "set", value });

/** Asks one planned question. */
export async function ask(question: Pick<Question, "path" | "kind">, env: AskEnv): Promise<Answer> {
  const { rules } = env;
  if (question.kind === "field") {
    const decl = rules.fields.get(question.path);
    if (!decl) throw new Error(`not a declared field: ${question.path}`);
    const subject = rules.file.subject;
    const hint = question.path === subject.birthDate && rules.fields.has(subject.age) ? `blank = unknown, then the ${labelOf(rules, subject.age)} is asked` : undefined;
    return askField(question.path, decl, env, hint ? { hint } : {});
  }
  const name = question.path.slice("labs.".length).replace(/\.uln$/, "");
  const lab = rules.labs.get(name);
  if (!lab) throw new Error(`not a declared lab: ${question.path}`);
  return question.kind === "uln" ? askUln(lab, env) : askLab(lab, env);
}

export async function askField(path: string, decl: FieldDecl, env: AskEnv, options: FieldOptions = {}): Promise<Answer> {
  const { ui } = env;
  const title = capitalise(decl.label);
  const current = getAt(env.record, path);
  const present = hasAt(env.record, path);
  const theme = ui.theme as never;

  if (decl.type === "boolean" || decl.type === "enum") {
    const choices: { name: string; value: unknown; short: string }[] =
      decl.type === "boolean"
        ? [
            { name: decl.yes ? `yes — ${decl.yes}` : "yes", value: true, short: "yes" },
            { name: decl.no ? `no — ${decl.no}` : "no", value: false, short: "no" },
          ]
        : decl.values.map((v) => ({ name: decl.unknownValues?.includes(v) ? `${v} (decides nothing)` : v, value: v, short: v }));
    if (decl.nullable) choices.push({ name: `none — ${decl.nullMeans ?? "none"}`, value: null, short: "none" });
    if (!options.required) choices.push(SKIP_CHOICE);
    for (;;) {
      const value = await ui.prompts.select<unknown>({
        message: decl.type === "boolean" ? `${title}?` : withHint(title, options.hint),
        choices,
        pageSize: choices.length,
        ...(present ? { default: current } : {}),
        theme,
      });
      if (value === SKIP) return skip;
      const problem = env.check(path, value);
      if (problem === undefined) return set(value);
      ui.problem(problem);
    }
  }

  if (decl.type === "integer") {
    const value = await ui.prompts.number({
      message: withHint(title, `${decl.min}–${decl.max}`, blankHint(options)),
      step: "any",
      required: options.required ?? false,
      ...(typeof current === "number" ? { default: current } : {}),
      validate: (v) => (v === undefined ? true : (env.check(path, v) ?? true)),
      theme,
    });
    return value === undefined ? skip : set(value);
  }

  if (decl.type === "timestamp" || decl.type === "date") {
    if (decl.nullable && !options.required) {
      const choice = await ui.prompts.select<unknown>({
        message: `${title}?`,
        choices: [
          { name: `known — enter ${decl.type === "date" ? "the date" : "the time"}`, value: "enter", short: "known" },
          { name: `none — ${decl.nullMeans ?? "none"}`, value: null, short: "none" },
          SKIP_CHOICE,
        ],
        ...(present ? { default: current === null ? null : "enter" } : {}),
        theme,
      });
      if (choice === SKIP) return skip;
      if (choice === null) {
        const problem = env.check(path, null);
        if (problem === undefined) return set(null);
        ui.problem(problem);
        return askField(path, decl, env, options);
      }
    }
    const format = decl.type === "date" ? "YYYY-MM-DD" : `YYYY-MM-DD HH:MM${decl.allowDate ? " or YYYY-MM-DD" : ""}`;
    const given = options.default ?? (typeof current === "string" ? current : undefined);
    const text = await ui.prompts.input({
      message: withHint(title, format, blankHint(options)),
      ...(given !== undefined ? { default: given } : {}),
      required: options.required ?? false,
      validate: (raw) => {
        const value = decl.type === "date" ? normaliseDate(raw) : normaliseTime(raw, env.timeZone, env.now);
        if (value === undefined) return options.required ? "an answer is needed here" : true;
        return env.check(path, value) ?? true;
      },
      theme,
    });
    const value = decl.type === "date" ? normaliseDate(text) : normaliseTime(text, env.timeZone, env.now);
    if (value === undefined) return skip;
    if (value !== text.trim()) ui.note(`  read as ${value}`);
    return set(value);
  }

  // A free-text field.
  const text = await ui.prompts.input({
    message: withHint(title, blankHint(options)),
    ...(options.default !== undefined ? { default: options.default } : typeof current === "string" ? { default: current } : {}),
    validate: (raw) => (raw.trim() === "" ? true : (env.check(path, raw.trim()) ?? true)),
    theme,
  });
  return text.trim() === "" ? skip : set(text.trim());
}

/** A lab result: its value, then its unit (chosen from the lab's units; preselected by plausibility). */
async function askLab(lab: CompiledLab, env: AskEnv): Promise<Answer> {
  const { ui } = env;
  const units = [...lab.units.keys()];
  const only = units.length === 1 ? units[0] : undefined;
  const named = (unit: string) => {
    const name = lab.units.get(unit)?.name;
    return name ? `${unit} (${name})` : unit;
  };
  const labTitle = capitalise(lab.decl.label);
  const candidate = (value: number, unit: string | undefined) => (unit === undefined ? { value } : { value, unit });
  for (;;) {
    const value = await ui.prompts.number({
      message: withHint(`${labTitle}${only ? ` in ${only}` : ""}`, units.length === 0 ? "no unit" : undefined, "blank = unknown"),
      step: "any",
      required: false,
      validate: (v) => {
        if (v === undefined) return true;
        const tries = units.length ? units : [undefined];
        const problems = tries.map((u) => env.check(lab.path, candidate(v, u)));
        return problems.some((p) => p === undefined) ? true : problems[0]!;
      },
      theme: ui.theme as never,
    });
    if (value === undefined) return skip;
    let unit = only;
    if (units.length > 1) {
      const fits = units.find((u) => env.check(lab.path, candidate(value, u)) === undefined);
      unit = await ui.prompts.select<string>({
        message: `${labTitle} ${value}: unit?`,
        choices: units.map((u) => ({ name: named(u), value: u, short: u })),
        ...(fits ? { default: fits } : {}),
        theme: ui.theme as never,
      });
    }
    const result = candidate(value, unit);
    const problem = env.check(lab.path, result);
    if (problem === undefined) return set(result);
    ui.problem(problem);
  }
}

/** A lab's own upper limit of normal, in the unit of its value. */
async function askUln(lab: CompiledLab, env: AskEnv): Promise<Answer> {
  const { ui } = env;
  const unit = getAt(env.record, `${lab.path}.unit`);
  const value = await ui.prompts.number({
    message: withHint(`${capitalise(lab.decl.label)} upper limit of normal${typeof unit === "string" ? ` in ${unit}` : ""}`, "blank = unknown"),
    step: "any",
    required: false,
    validate: (v) => (v === undefined ? true : (env.check(`${lab.path}.uln`, v) ?? true)),
    theme: ui.theme as never,
  });
  return value === undefined ? skip : set(value);
}

const UNKNOWN_WORDS = /^(\?|unknown|skip)$/i;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;
const ZONED_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)\s*(Z|[+-]\d{2}:\d{2})$/;

/**
 * Typed text → the record's text: blank (or "?", "unknown") = unknown; "now" = the clock; a space
 * for the T; a time without offset gets the offset of `timeZone` at that moment, so the saved
 * record means the same everywhere. Anything else is returned as typed, for the schema to judge.
 */
export function normaliseTime(raw: string, timeZone: string, now: () => number): string | undefined {
  const text = raw.trim();
  if (text === "" || UNKNOWN_WORDS.test(text)) return undefined;
  if (/^now$/i.test(text)) return isoInZone(now(), timeZone);
  const zoned = ZONED_TIME.exec(text);
  if (zoned) return `${zoned[1]}T${zoned[2]}${zoned[3]}`;
  const local = LOCAL_TIME.exec(text);
  if (local) {
    const parsed = parseTime(`${local[1]}T${local[2]}`, timeZone, false);
    if (parsed?.kind === "instant") return `${local[1]}T${local[2]}${formatOffset(parsed.instant.offsetMin)}`;
  }
  return text;
}

export function normaliseDate(raw: string): string | undefined {
  const text = raw.trim();
  return text === "" || UNKNOWN_WORDS.test(text) ? undefined : text;
}

/** "2026-11-24T09:00:00+08:00": the moment `ms` as wall-clock time in `timeZone`, with its offset. */
export function isoInZone(ms: number, timeZone: string): string {
  const offset = tzOffset(timeZone, new Date(ms));
  return new Date(ms + offset * 60_000).toISOString().slice(0, 19) + formatOffset(offset);
}

export function labelOf(rules: CompiledRules, path: string): string {
  const field = rules.fields.get(path);
  if (field) return field.label;
  const lab = rules.labs.get(path.replace(/^labs\./, "").replace(/\.uln$/, ""));
  if (!lab) return path;
  return path.endsWith(".uln") ? `${lab.decl.label} upper limit of normal` : lab.decl.label;
}

/** "last heparin dose" → "Last heparin dose"; a label that starts with an acronym ("aPTT") stays. */
function capitalise(text: string): string {
  const first = text.split(/\s/, 1)[0] ?? "";
  return first === first.toLowerCase() ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function withHint(message: string, ...hints: (string | undefined)[]): string {
  const given = hints.filter((h): h is string => h !== undefined && h !== "");
  return given.length ? `${message} (${given.join(", ")})` : message;
}

function blankHint(options: FieldOptions): string | undefined {
  return options.hint ?? (options.required ? undefined : "blank = unknown");
}
