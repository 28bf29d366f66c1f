/**
 * One question per field, its prompt chosen by the field's declaration in the rules file:
 * boolean → yes / no / unknown; enum → its values + unknown; integer → a number; timestamp → ISO
 * text (a date where allowed); date → YYYY-MM-DD; nullable → a "none" choice; lab → value, then
 * unit (or typed with it: "1.1 mg/dL"); a lab's ULN → a number in the value's unit. Every question
 * can be skipped the same way: "unknown", "?" or blank (typed.ts); in a list the "unknown" choice is
 * preselected for that. Every question also takes "back" (a choice in a list): the session then
 * returns to the previous question.
 *
 * Every answer is checked with the file-input rules before it is accepted (`check` screens the
 * record with the answer in it): a bad answer shows the message and is asked again.
 */
import type { CompiledLab, CompiledRules } from "../rules/compiled.js";
import type { FieldDecl } from "../rules/schema.js";
import type { Question } from "./planner.js";
import { getAt, hasAt, type JsonRecord } from "../text/paths.js";
import { formatOffset, parseTime } from "../time/instant.js";
import { isBack, isSkip, normaliseDate, readLabValue, readNumber, readTime, shownToMinute, unitTyped, type TimeReading } from "./typed.js";
import type { Ui } from "./ui.js";

export type Answer = { readonly kind: "skip" } | { readonly kind: "back" } | { readonly kind: "set"; readonly value: unknown };

/** What was valid in a resumed lab whose value was not: kept for the value asked again. */
export interface KeptLab {
  readonly unit?: string;
  readonly uln?: number;
}

export interface AskEnv {
  readonly rules: CompiledRules;
  readonly record: JsonRecord;
  /** How a time typed without an offset is read. */
  readonly reading: TimeReading;
  readonly now: () => number;
  readonly ui: Ui;
  /** Why `value` at `path` would make the record invalid (the file-input message), else undefined. */
  readonly check: (path: string, value: unknown) => string | undefined;
  /** By lab path: the parts of a resumed lab that outlived its invalid value. */
  readonly kept?: ReadonlyMap<string, KeptLab>;
}

export interface FieldOptions {
  /** The question cannot be skipped. */
  readonly required?: boolean;
  /** Extra words after the question. */
  readonly hint?: string;
}

const SKIP: unique symbol = Symbol("skip");
const SKIP_CHOICE = { name: "unknown — skip", value: SKIP, short: "unknown" } as const;
const BACK: unique symbol = Symbol("back");
const BACK_CHOICE = { name: "back — to the previous question", value: BACK, short: "back" } as const;
const skip: Answer = { kind: "skip" };
const back: Answer = { kind: "back" };
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
    choices.push(BACK_CHOICE);
    for (;;) {
      const value = await ui.prompts.select<unknown>({
        message: decl.type === "boolean" ? `${title}?` : withHint(title, options.hint),
        choices,
        pageSize: choices.length,
        // Unknown is preselected, so blank and "?" (which matches no choice) skip here too.
        ...(present ? { default: current } : options.required ? {} : { default: SKIP }),
        theme,
      });
      if (value === SKIP) return skip;
      if (value === BACK) return back;
      const problem = env.check(path, value);
      if (problem === undefined) return set(value);
      ui.problem(problem);
    }
  }

  if (decl.type === "integer") {
    const value = await askNumber(env, withHint(title, `a whole number ${decl.min}–${decl.max}`, blankHint(options)), (v) => env.check(path, v), {
      ...(typeof current === "number" ? { default: current } : {}),
      ...(options.required ? { required: true } : {}),
      integer: true,
    });
    return numberAnswer(value);
  }

  if (decl.type === "timestamp" || decl.type === "date") return askTime(path, decl, env, options);

  // A free-text field.
  const text = await ui.prompts.input({
    message: withHint(title, blankHint(options)),
    ...(typeof current === "string" ? { default: current } : {}),
    validate: (raw) => (isSkip(raw) || isBack(raw) ? true : (env.check(path, raw.trim()) ?? true)),
    theme,
  });
  if (isBack(text)) return back;
  return isSkip(text) ? skip : set(text.trim());
}

/** A time or a date; a nullable one first asks whether there is one ("none" is an answer). */
async function askTime(path: string, decl: FieldDecl & { type: "timestamp" | "date" }, env: AskEnv, options: FieldOptions): Promise<Answer> {
  const { ui } = env;
  const title = capitalise(decl.label);
  const current = getAt(env.record, path);
  const present = hasAt(env.record, path);
  const theme = ui.theme as never;
  if (decl.nullable && !options.required) {
    const choice = await ui.prompts.select<unknown>({
      message: `${title}?`,
      choices: [
        { name: `known — enter ${decl.type === "date" ? "the date" : "the time"}`, value: "enter", short: "known" },
        { name: `none — ${decl.nullMeans ?? "none"}`, value: null, short: "none" },
        SKIP_CHOICE,
        BACK_CHOICE,
      ],
      ...(present ? { default: current === null ? null : "enter" } : { default: SKIP }),
      theme,
    });
    if (choice === SKIP) return skip;
    if (choice === BACK) return back;
    if (choice === null) {
      const problem = env.check(path, null);
      if (problem === undefined) return set(null);
      ui.problem(problem);
      return askField(path, decl, env, options);
    }
  }
  const read = (raw: string) => (decl.type === "date" ? optionalText(normaliseDate(raw)) : readTime(raw, env.reading, env.now));
  const format = decl.type === "date" ? "YYYY-MM-DD" : `YYYY-MM-DD HH:MM${decl.allowDate ? " or YYYY-MM-DD" : ""}, ${readingHint(env.reading)}`;
  const text = await ui.prompts.input({
    message: withHint(title, format, blankHint(options)),
    ...(typeof current === "string" ? { default: current } : {}),
    validate: (raw) => {
      if (isBack(raw)) return true;
      const value = read(raw);
      if (value === undefined) return options.required ? "an answer is needed here" : true;
      return env.check(path, value.text) ?? true;
    },
    theme,
  });
  // After "known — enter the time", back returns to that choice.
  if (isBack(text)) return decl.nullable && !options.required ? askField(path, decl, env, options) : back;
  const value = read(text);
  if (value === undefined) return skip;
  if (value.text !== text.trim()) ui.note(`  read as ${value.text}${value.readIn ? ` (${value.readIn})` : ""}`);
  return set(value.text);
}

/**
 * The screening time: blank or "now" is the clock at the moment of answering (the default is
 * shown, to the minute). Returns the record's text and whether its offset was typed; undefined for
 * "back".
 */
export async function askScreeningTime(path: string, label: string, env: AskEnv): Promise<{ text: string; offsetTyped: boolean } | undefined> {
  const read = (raw: string) => (raw.trim() === "" ? readTime("now", env.reading, env.now) : readTime(raw, env.reading, env.now));
  const text = await env.ui.prompts.input({
    message: withHint(capitalise(label), `YYYY-MM-DD HH:MM or now, ${readingHint(env.reading)}`, `default: now, ${shownToMinute(env.now(), env.reading.timeZone)}`),
    validate: (raw) => {
      if (isBack(raw)) return true;
      const value = read(raw);
      if (value === undefined) return "a screening time is needed (blank = now)";
      const parsed = parseTime(value.text, env.reading.timeZone, false);
      if (parsed?.kind !== "instant") return `expected a date and time of day such as 2026-11-24 09:00, got "${raw.trim()}"`;
      return env.check(path, value.text) ?? true;
    },
    theme: env.ui.theme,
  });
  if (isBack(text)) return undefined;
  const value = read(text)!;
  if (value.text !== text.trim()) env.ui.note(`  read as ${value.text}${value.readIn ? ` (${value.readIn})` : ""}`);
  return { text: value.text, offsetTyped: value.readIn === undefined };
}

/**
 * A lab result: its value, then its unit, unless typed with it ("1.1 mg/dL", "22 BUN"). The unit is
 * a list with the one plausible unit preselected; when the value is plausible in more than one
 * unit (urea/BUN 22), nothing is preselected: the unit must be typed. Units that all mean the same
 * number (factor 1) are not asked: the first declared is stored.
 */
async function askLab(lab: CompiledLab, env: AskEnv): Promise<Answer> {
  const { ui } = env;
  const units = [...lab.units.keys()];
  const unitNames = [...lab.units].map(([unit, u]) => (u.name ? { unit, name: u.name } : { unit }));
  const same = units.length > 1 && [...lab.units.values()].every((u) => u.factor.n === u.factor.d);
  const only = units.length === 1 || same ? units[0] : undefined;
  const kept = env.kept?.get(lab.path);
  const labTitle = capitalise(lab.decl.label);
  const candidate = (value: number, unit: string | undefined) => (unit === undefined ? { value } : { value, unit });
  const inUnit = only ? ` in ${only}${same ? ` (= ${units.slice(1).join(" = ")})` : ""}` : "";
  const withUnitHint = units.length > 1 && !same ? `or with its unit, e.g. 1.1 ${units[units.length - 1]}` : undefined;
  for (;;) {
    const text = await ui.prompts.input({
      message: withHint(`${labTitle}${inUnit}`, units.length === 0 ? "no unit" : withUnitHint, "blank = unknown"),
      validate: (raw) => {
        if (isBack(raw)) return true;
        const typed = readLabValue(raw, unitNames);
        if (typed.kind === "skip") return true;
        if (typed.kind === "bad") return typed.message;
        const tries = typed.unit !== undefined ? [typed.unit] : only ? [only] : units.length ? units : [undefined];
        const problems = tries.map((u) => env.check(lab.path, candidate(typed.value, u)));
        return problems.some((p) => p === undefined) ? true : problems[0]!;
      },
      theme: ui.theme,
    });
    if (isBack(text)) return back;
    const typed = readLabValue(text, unitNames);
    if (typed.kind !== "number") return skip;
    const value = typed.value;
    let unit = typed.unit ?? only;
    if (unit === undefined && units.length > 1) {
      const fits = units.filter((u) => env.check(lab.path, candidate(value, u)) === undefined);
      const chosen = fits.length > 1 && !(kept?.unit !== undefined && fits.includes(kept.unit)) ? await typeUnit(lab, value, fits, env) : await pickUnit(lab, value, kept?.unit !== undefined && fits.includes(kept.unit) ? kept.unit : fits[0], env);
      if (chosen === BACK) continue; // back to the value
      unit = chosen;
    }
    const result = withKeptUln(candidate(value, unit), lab, kept, env);
    const problem = env.check(lab.path, result);
    if (problem === undefined) return set(result);
    ui.problem(problem);
  }
}

function unitLabel(lab: CompiledLab, unit: string): string {
  const name = lab.units.get(unit)?.name;
  return name ? `${unit} (${name})` : unit;
}

/** The unit from a list, `preselected` (the one unit in which the value is plausible) first in line. */
async function pickUnit(lab: CompiledLab, value: number, preselected: string | undefined, env: AskEnv): Promise<string | typeof BACK> {
  return env.ui.prompts.select<string | typeof BACK>({
    message: `${capitalise(lab.decl.label)} ${value}: unit?`,
    choices: [...[...lab.units.keys()].map((u) => ({ name: unitLabel(lab, u), value: u, short: u })), BACK_CHOICE],
    ...(preselected ? { default: preselected } : {}),
    theme: env.ui.theme,
  });
}

/** The value is plausible in several units: no default, the unit is typed (symbol or name). */
async function typeUnit(lab: CompiledLab, value: number, fits: readonly string[], env: AskEnv): Promise<string | typeof BACK> {
  const names = fits.map((unit) => {
    const name = lab.units.get(unit)?.name;
    return name ? { unit, name } : { unit };
  });
  const listed = fits.map((u) => unitLabel(lab, u)).join(" or ");
  const text = await env.ui.prompts.input({
    message: `${capitalise(lab.decl.label)} ${value}: unit? (plausible as ${listed}: type the unit, no default)`,
    validate: (raw) => (isBack(raw) || unitTyped(raw, names) !== undefined ? true : `${value} is plausible in more than one unit: type ${fits.join(" or ")}`),
    theme: env.ui.theme,
  });
  return isBack(text) ? BACK : unitTyped(text, names)!;
}

/** The resumed record's ULN goes back with the new value when it is in the same unit. */
function withKeptUln(result: { value: number; unit?: string }, lab: CompiledLab, kept: KeptLab | undefined, env: AskEnv): object {
  if (kept?.uln === undefined) return result;
  const shown = `${kept.uln}${kept.unit ? ` ${kept.unit}` : ""}`;
  if (kept.unit !== result.unit) {
    env.ui.note(`  the record's upper limit of normal ${shown} is in another unit: not kept`);
    return result;
  }
  const withUln = { ...result, uln: kept.uln };
  const problem = env.check(lab.path, withUln);
  if (problem !== undefined) {
    env.ui.note(`  the record's upper limit of normal ${shown} is not kept: ${problem}`);
    return result;
  }
  env.ui.note(`  upper limit of normal ${shown} kept from the record`);
  return withUln;
}

/** A lab's own upper limit of normal, from the patient's lab report, in the unit of its value. */
async function askUln(lab: CompiledLab, env: AskEnv): Promise<Answer> {
  const unit = getAt(env.record, `${lab.path}.unit`);
  const message = withHint(
    `${capitalise(lab.decl.label)} upper limit of normal from this patient's lab report${typeof unit === "string" ? ` in ${unit}` : ""}`,
    lab.siteUln ? "blank = the site range stands" : "blank = unknown",
  );
  return numberAnswer(await askNumber(env, message, (v) => env.check(`${lab.path}.uln`, v)));
}

function numberAnswer(value: number | undefined | typeof BACK): Answer {
  return value === BACK ? back : value === undefined ? skip : set(value);
}

/** A number typed as text, so the skip words work and only decimals as written are taken. */
async function askNumber(
  env: AskEnv,
  message: string,
  check: (value: number) => string | undefined,
  options: { default?: number; required?: boolean; integer?: boolean } = {},
): Promise<number | undefined | typeof BACK> {
  const text = await env.ui.prompts.input({
    message,
    ...(options.default !== undefined ? { default: String(options.default) } : {}),
    validate: (raw) => {
      if (isBack(raw)) return true;
      const typed = readNumber(raw);
      if (typed.kind === "skip") return options.required ? "an answer is needed here" : true;
      if (typed.kind === "bad") return typed.message;
      if (options.integer && !Number.isInteger(typed.value)) return `a whole number is needed here (no decimals), got ${raw.trim()}`;
      return check(typed.value) ?? true;
    },
    theme: env.ui.theme,
  });
  if (isBack(text)) return BACK;
  const typed = readNumber(text);
  return typed.kind === "number" ? typed.value : undefined;
}

function optionalText(text: string | undefined): { text: string; readIn?: string } | undefined {
  return text === undefined ? undefined : { text };
}

function readingHint(reading: TimeReading): string {
  return reading.offsetMin !== undefined ? `at ${formatOffset(reading.offsetMin)}` : `in ${reading.timeZone}`;
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
