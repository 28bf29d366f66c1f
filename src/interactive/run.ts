/**
 * The bedside session (`screen --interactive [partial.json]`, `screen ask`): asks, in clinical
 * order, only what can still change an outcome (see planner.ts), checks each answer with the
 * file-input rules, shows a live status and an early verdict, ends with the same report as
 * `screen FILE` and offers to save the record. Ctrl-C saves a draft and returns 130.
 *
 * This module (and @inquirer/prompts with it) is loaded only in this mode: the CLI imports it
 * dynamically.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { confirm, input, select } from "@inquirer/prompts";
import type { CriterionOutcome } from "../engine/evaluate.js";
import { exitCodeFor } from "../exit-codes.js";
import type { CompiledRules } from "../rules/compiled.js";
import { screen, type ScreenOptions, type ScreenedResult, type ScreeningResult } from "../screen.js";
import { formatInstant, formatOffset, MINUTE, parseTime } from "../time/instant.js";
import { draftDirectory, saveProblem, writeDraft, writeRecord } from "./draft.js";
import { plan, type Question } from "./planner.js";
import { type Answer, type AskEnv, type KeptLab, ask, askScreeningTime } from "./questions.js";
import { offsetGiven, readingWords, readTime, type TimeReading } from "./typed.js";
import { cloneRecord, getAt, hasAt, isPlainObject, type JsonRecord, withValue, withoutValue } from "../text/paths.js";
import { statusLine, stillUnknown } from "./status.js";
import { makeUi, type Ui } from "./ui.js";
import type { Readable, Writable } from "node:stream";

export interface InteractiveOptions {
  rules: CompiledRules; // from loadRules()
  partial?: unknown; // a record loaded from a file to resume (already JSON.parsed), or undefined
  savePath?: string; // --save FILE: save the final record there without asking
  asOf?: string; // --as-of
  timeZone: string;
  now: () => number; // the clock, injected
  color: boolean;
  verbose: boolean;
  renderReport: (result: ScreeningResult) => string; // the same text report as `screen FILE`, provided by the CLI
  io: SessionIo; // the terminal, the working directory and the signals
}

/** What a session talks to (the CLI passes its own streams; tests may pass others). */
export interface SessionIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
  /** Ctrl-C between prompts: the handler saves a draft and returns the exit code. */
  readonly onSignal?: (handler: () => number) => () => void;
}

export const EXIT_INTERRUPTED = 130;

/** Runs one bedside session; returns the exit code of the contract (§4), or 130 on Ctrl-C. */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  if (options.savePath !== undefined) {
    // Refused now, not after every question has been answered.
    const problem = saveProblem(options.savePath, options.io.cwd);
    if (problem) {
      options.io.stderr.write(`screen: cannot save to ${options.savePath}: ${problem}\n`);
      return 2;
    }
  }
  const { io } = options;
  const context = { input: io.stdin, output: io.stdout };
  const prompts = {
    input: ((config, ctx) => input(config, { ...context, ...ctx })) as typeof input,
    select: ((config, ctx) => select(config, { ...context, ...ctx })) as typeof select,
    confirm: ((config, ctx) => confirm(config, { ...context, ...ctx })) as typeof confirm,
  };
  const ui = makeUi(prompts, options.color, (text) => void io.stdout.write(text));
  const session = new Session(options, ui);
  // Ctrl-C at a prompt surfaces as ExitPromptError; between prompts it is a plain SIGINT.
  const unregister = io.onSignal?.(() => session.interrupted());
  try {
    return await session.run();
  } catch (err) {
    if (err instanceof Error && err.name === "ExitPromptError") return session.interrupted();
    throw err;
  } finally {
    unregister?.();
  }
}

class Session {
  private record: JsonRecord = {};
  private readonly asked = new Set<string>();
  private readonly announced = new Set<string>();
  private readonly warned = new Set<string>();
  private readonly skipped = new Set<string>();
  private readonly kept = new Map<string, KeptLab>();
  /** The screening time's offset, when it was given with one: typed times are read in it. */
  private screeningOffset: number | undefined;
  private offeredStop = false;
  private lastGroup = "";
  private readonly rules: CompiledRules;

  constructor(
    private readonly options: InteractiveOptions,
    private readonly ui: Ui,
  ) {
    this.rules = options.rules;
  }

  private get screenOptions(): ScreenOptions {
    // The record carries its screening time once the session has started; the clock only
    // stands in while the first questions are checked.
    return { timeZone: this.options.timeZone, now: this.options.now() };
  }

  private screen(record: unknown = this.record): ScreeningResult {
    return screen(record, this.rules, this.screenOptions);
  }

  async run(): Promise<number> {
    const { ui, rules, options } = this;
    const subject = rules.file.subject;
    const resuming = options.partial !== undefined;
    if (resuming && !isPlainObject(options.partial)) {
      this.options.io.stderr.write("screen: cannot resume: the file must hold one patient record (a JSON object)\n");
      return 2;
    }
    if (resuming) this.record = cloneRecord(options.partial as JsonRecord);

    ui.line(ui.style.bold(`Screening for ${rules.meta.trial} (rules ${rules.meta.version})`));
    ui.note("Only what can still change the outcome is asked. Answer “unknown” or “?” (or leave it blank) to skip.");
    ui.note("Ctrl-C saves a draft.");

    if (!resuming && !hasAt(this.record, subject.id) && rules.fields.has(subject.id)) {
      await this.askAndApply({ path: subject.id, kind: "field", criteria: [], present: false });
    }
    await this.settleScreeningTime();
    if (!this.dropInvalidFields()) return 2;

    let result = this.screened();
    this.showWarnings(result, undefined);
    if (resuming) ui.line(`Resuming${typeof this.record[subject.id] === "string" ? ` ${String(this.record[subject.id])}` : ""}: ${statusLine(result)}`);
    let next = this.nextQuestion();
    let stop = await this.afterFailures(result, next);

    while (!stop && next) {
      const before = result;
      await this.askAndApply(next);
      result = this.screened();
      this.showWarnings(result, next.path);
      if (options.verbose) this.showChanges(before, result);
      ui.line(ui.style.cyan(statusLine(result)));
      next = this.nextQuestion();
      stop = await this.afterFailures(result, next);
    }
    if (!stop) for (const line of stillUnknown(rules, result, this.skipped)) ui.note(line);

    ui.line();
    const report = options.renderReport(result);
    ui.line(report.endsWith("\n") ? report.slice(0, -1) : report);
    ui.line();
    const saved = await this.save();
    return saved ? exitCodeFor([result.verdict]) : 2;
  }

  /** Ctrl-C: the record so far goes to a draft file, whose path is printed on stderr. */
  interrupted(): number {
    const dir = draftDirectory(this.options.savePath, this.options.io.cwd);
    try {
      const path = writeDraft(this.record, dir, this.options.now());
      this.options.io.stderr.write(`\nInterrupted. What was entered is saved in ${path}\nResume with: screen --interactive ${path}\n`);
    } catch (err) {
      this.options.io.stderr.write(`\nInterrupted. Could not write a draft in ${dir} (${(err as Error).message}); the record so far:\n${JSON.stringify(this.record)}\n`);
    }
    return EXIT_INTERRUPTED;
  }

  private screened(): ScreenedResult {
    const result = this.screen();
    if (result.verdict === "error") {
      // Every answer is checked before it is kept, so this is a bug, not a user error.
      throw new Error(`interactive record became invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
    }
    return result;
  }

  private nextQuestion(): Question | undefined {
    return plan(this.rules, this.record, this.screenOptions, this.asked).next;
  }

  private get reading(): TimeReading {
    const { timeZone } = this.options;
    return this.screeningOffset === undefined ? { timeZone } : { timeZone, offsetMin: this.screeningOffset };
  }

  private env(): AskEnv {
    return {
      rules: this.rules,
      record: this.record,
      reading: this.reading,
      now: this.options.now,
      ui: this.ui,
      check: (path, value) => this.check(path, value),
      kept: this.kept,
    };
  }

  /** The file-input rules' verdict on the record with `value` at `path`: a message, or undefined. */
  private check(path: string, value: unknown): string | undefined {
    const result = this.screen(withValue(this.record, path, value));
    if (result.verdict !== "error") return undefined;
    return result.errors.map((e) => (e.path === path || e.path.startsWith(`${path}.`) ? e.message : `${e.path}: ${e.message}`)).join("; ");
  }

  private async askAndApply(question: Question): Promise<void> {
    this.showContext(question);
    const answer: Answer = await ask(question, this.env());
    this.asked.add(question.path);
    // "unknown" leaves the field as it was: absent stays absent, a value that did not decide stays.
    if (answer.kind === "set") this.record = withValue(this.record, question.path, answer.value);
    else this.skipped.add(question.path);
  }

  /**
   * screenedAt: the record's own, else --as-of, else asked (now by default). Given with an offset,
   * that offset is the one typed times are read in: a record from another site keeps its clock.
   */
  private async settleScreeningTime(): Promise<void> {
    const { rules, options, ui } = this;
    const path = rules.file.subject.screenedAt;
    const given = getAt(this.record, path);
    if (given !== undefined) {
      const parsed = typeof given === "string" ? parseTime(given, options.timeZone, false) : null;
      if (parsed?.kind === "instant") this.screeningOffset = offsetGiven(given);
      else {
        ui.problem(`${path}: ${JSON.stringify(given)} is not a timestamp with a time of day; it is asked again`);
        this.record = withoutValue(this.record, path);
      }
    }
    if (!hasAt(this.record, path) && options.asOf !== undefined) {
      // Saved with the offset it was read in, as every typed time is.
      const text = readTime(options.asOf, { timeZone: options.timeZone }, options.now)?.text ?? options.asOf;
      this.record = withValue(this.record, path, text);
      this.screeningOffset = offsetGiven(options.asOf);
      ui.note(`Screening time ${text} (--as-of)`);
    }
    if (!hasAt(this.record, path)) {
      this.showContext({ path, kind: "field", criteria: [], present: false });
      const answer = await askScreeningTime(path, rules.fields.get(path)?.label ?? "screening time", this.env());
      this.record = withValue(this.record, path, answer.text);
      this.screeningOffset = answer.offsetTyped ? offsetGiven(answer.text) : undefined;
    }
    this.warnIfFuture(getAt(this.record, path));
    const where = this.screeningOffset === undefined ? "in" : `at ${formatOffset(this.screeningOffset)},`;
    ui.note(`Times typed without a UTC offset are read ${where} ${readingWords(this.reading)}.`);
  }

  /** A coordinator may prepare a screening ahead of time: said, not refused. */
  private warnIfFuture(text: unknown): void {
    const parsed = typeof text === "string" ? parseTime(text, this.options.timeZone, false) : null;
    if (parsed?.kind !== "instant") return;
    const now = this.options.now();
    if (parsed.instant.ms <= now) return;
    const shown = formatInstant(parsed.instant.ms, parsed.instant.offsetMin);
    this.ui.line(this.ui.style.yellow(`! The screening time ${shown} is in the future (now is ${formatInstant(Math.floor(now / MINUTE) * MINUTE, parsed.instant.offsetMin)}): the patient is screened as of then.`));
  }

  /** A resumed record may break the rules: each offending field is dropped (and so asked again). */
  private dropInvalidFields(): boolean {
    const { ui, rules } = this;
    for (let round = 0; round < 100; round++) {
      const result = this.screen();
      if (result.verdict !== "error") return true;
      let dropped = false;
      for (const error of result.errors) {
        const field = rules.fieldOrder.find((f) => error.path === f || error.path.startsWith(`${f}.`));
        // Of a lab, only the bad part goes when the rest stands alone (an INR "unit", an implausible "uln").
        const owner = field !== undefined && field !== error.path && this.standsWithout(field, error.path) ? error.path : field;
        if (!owner || !hasAt(this.record, owner)) continue;
        const kept = error.path === `${owner}.value` ? this.keepLabParts(owner, result.errors.map((e) => e.path)) : undefined;
        const keeps = kept ? ` (its ${[kept.unit !== undefined ? "unit" : "", kept.uln !== undefined ? "upper limit of normal" : ""].filter(Boolean).join(" and ")} kept for the new value)` : "";
        ui.problem(`${error.path}: ${error.message} — ${owner === error.path ? "dropped" : `${owner} dropped${keeps}`}; it is asked again if it matters`);
        this.record = withoutValue(this.record, owner);
        dropped = true;
      }
      if (!dropped) {
        for (const error of result.errors) this.options.io.stderr.write(`screen: ${error.path || "(record)"}: ${error.message}\n`);
        return false;
      }
    }
    return false;
  }

  /** A lab dropped for its value keeps a declared unit, and the ULN given in that unit. */
  private keepLabParts(labPath: string, errorPaths: readonly string[]): KeptLab | undefined {
    const lab = isLabPath(this.rules, labPath) ? this.rules.labs.get(labPath.slice("labs.".length)) : undefined;
    const old = getAt(this.record, labPath);
    if (!lab || !isPlainObject(old)) return undefined;
    const unit = typeof old.unit === "string" && lab.units.has(old.unit) && !errorPaths.includes(`${labPath}.unit`) ? old.unit : undefined;
    const unitFits = lab.units.size === 0 ? old.unit === undefined : unit !== undefined;
    const uln = lab.decl.readsUln && unitFits && typeof old.uln === "number" && !errorPaths.includes(`${labPath}.uln`) ? old.uln : undefined;
    if (unit === undefined && uln === undefined) return undefined;
    const kept: KeptLab = { ...(unit !== undefined ? { unit } : {}), ...(uln !== undefined ? { uln } : {}) };
    this.kept.set(labPath, kept);
    return kept;
  }

  private standsWithout(field: string, part: string): boolean {
    if (!isLabPath(this.rules, field) || !hasAt(this.record, part)) return false;
    const result = this.screen(withoutValue(this.record, part));
    return result.verdict !== "error" || !result.errors.some((e) => e.path === field || e.path.startsWith(`${field}.`));
  }

  /**
   * Announces new failures; the first time, with more to ask, offers to stop. True to stop asking.
   * A failure the next question may still undo (the lab report's own ULN against a site range) is
   * announced only once that question is answered, so nobody stops on a verdict about to change.
   */
  private async afterFailures(result: ScreenedResult, next: Question | undefined): Promise<boolean> {
    const mayUndo = new Set(next?.kind === "uln" ? next.criteria.map((c) => c.id) : []);
    const fresh = result.criteria.filter((c) => c.outcome === "fail" && !this.announced.has(c.id) && !mayUndo.has(c.id));
    if (!fresh.length) return false;
    const moreToAsk = next !== undefined;
    for (const c of fresh) {
      this.announced.add(c.id);
      this.ui.line(this.ui.style.red(`✖ ${c.id} fails (${c.text}): ${c.reason}`));
    }
    if (this.offeredStop || !moreToAsk) return false;
    this.offeredStop = true;
    const choice = await this.ui.prompts.select<string>({
      message: `The patient is ineligible (${result.failed.join(", ")}). Stop here, or continue to complete the record for the screening log?`,
      choices: [
        { name: "stop — show the report now", value: "stop", short: "stop" },
        { name: "continue — answer the remaining questions", value: "continue", short: "continue" },
      ],
      theme: this.ui.theme as never,
    });
    return choice === "stop";
  }

  private showContext(question: Question): void {
    const { ui } = this;
    const group = question.path.split(".")[0]!;
    if (group !== this.lastGroup && question.path.includes(".")) ui.line(ui.style.bold.underline(`\n${group}`));
    this.lastGroup = group;
    for (const c of question.criteria) ui.note(`  ${c.id} · ${c.text}`);
    // A ULN is offered because the site range fails or cannot decide: say how it stands.
    const lab = question.kind === "uln" ? this.rules.labs.get(question.path.replace(/^labs\.|\.uln$/g, "")) : undefined;
    if (lab?.siteUln) for (const c of question.criteria) if (c.reason) ui.note(`  with the site range: ${c.reason}`);
    if (question.present) {
      const reason = question.criteria.find((c) => c.reason)?.reason;
      ui.note(`  now: ${JSON.stringify(getAt(this.record, question.path))}${reason ? ` — ${reason}` : ""}; choose unknown/blank to keep it`);
    }
  }

  private showWarnings(result: ScreenedResult, path: string | undefined): void {
    for (const w of result.warnings) {
      const key = `${w.path}\u0000${w.message}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      // No-offset and "screened as of now" warnings cannot arise from answers (offsets are added).
      if (path === undefined || w.path === path || w.path.startsWith(`${path}.`) || this.options.verbose) this.ui.note(`  ! ${w.path}: ${w.message}`);
    }
  }

  private showChanges(before: ScreenedResult, after: ScreenedResult): void {
    const was = new Map<string, CriterionOutcome>(before.criteria.map((c) => [c.id, c]));
    for (const c of after.criteria) {
      if (was.get(c.id)?.outcome === c.outcome) continue;
      this.ui.note(`  ${c.id} ${c.outcome.replace("_", " ")}: ${c.reason}`);
    }
  }

  /** --save writes without asking; otherwise the user is offered to save. False when --save failed. */
  private async save(): Promise<boolean> {
    const { ui, options } = this;
    if (options.savePath !== undefined) {
      try {
        writeRecord(resolve(options.io.cwd, options.savePath), this.record);
        ui.line(`Record saved to ${options.savePath}`);
        return true;
      } catch (err) {
        options.io.stderr.write(`screen: cannot write ${options.savePath}: ${(err as Error).message}\n`);
        this.interrupted();
        return false;
      }
    }
    const wanted = await ui.prompts.confirm({ message: "Save the record as JSON?", default: true, theme: ui.theme as never });
    if (!wanted) return true;
    for (;;) {
      const file = await ui.prompts.input({
        message: "File name",
        default: this.suggestedFileName(),
        validate: (v) => (v.trim() ? true : "a file name is needed"),
        theme: ui.theme as never,
      });
      const path = file.trim();
      if (existsSync(resolve(options.io.cwd, path)) && !(await ui.prompts.confirm({ message: `${path} exists. Replace it?`, default: false, theme: ui.theme as never }))) continue;
      try {
        writeRecord(resolve(options.io.cwd, path), this.record);
        ui.line(`Record saved to ${path}`);
        return true;
      } catch (err) {
        ui.problem(`cannot write ${path}: ${(err as Error).message}`);
      }
    }
  }

  private suggestedFileName(): string {
    const id = this.record[this.rules.file.subject.id];
    const safe = typeof id === "string" ? id.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "") : "";
    return `${safe || "screen-record"}.json`;
  }
}

function isLabPath(rules: CompiledRules, path: string): boolean {
  return path.startsWith("labs.") && rules.labs.has(path.slice("labs.".length));
}
