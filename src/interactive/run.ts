/**
 * The bedside session (`screen --interactive [partial.json]`, `screen ask`): asks, in clinical
 * order, only what can still change an outcome (see planner.ts), checks each answer with the
 * file-input rules, shows a live status and an early verdict, ends with the same report as
 * `screen FILE` and offers to save the record. Ctrl-C saves a draft and returns 130.
 *
 * This module (and @inquirer/prompts with it) is loaded only in this mode: the CLI imports it
 * dynamically.
 */
import { confirm, input, select } from "@inquirer/prompts";
import { exitCodeFor } from "../exit-codes.js";
import type { CompiledRules } from "../rules/compiled.js";
import { screen, type ScreenOptions, type ScreenedResult, type ScreeningResult } from "../screen.js";
import { formatOffset, parseTime } from "../time/instant.js";
import { draftDirectory, saveProblem, writeDraft } from "./draft.js";
import { plan, type Question } from "./planner.js";
import { type Answer, type AskEnv, type KeptLab, ask, askScreeningTime } from "./questions.js";
import { dropInvalidFields, fixMisspeltKeys, labUlns, type Repair } from "./resume.js";
import { review, type ReviewChoice } from "./review.js";
import { saveAsked, saveGiven, suggestedFileName, type SaveContext } from "./save.js";
import { BACK_WORD, offsetGiven, readingWords, readTime, type TimeReading } from "./typed.js";
import { cloneRecord, getAt, hasAt, isPlainObject, type JsonRecord, withValue, withoutValue } from "../text/paths.js";
import { futureWarning, showChanges, showContext, showWarnings, statusLine, stillUnknown } from "./status.js";
import { makeUi, type Prompts, type Ui } from "./ui.js";
import type { Readable, Writable } from "node:stream";

export interface InteractiveOptions {
  rules: CompiledRules; // from loadRules()
  partial?: unknown; // a record loaded from a file to resume (already JSON.parsed), or undefined
  partialPath?: string; // the file it was read from (a draft among them is removed once saved)
  savePath?: string; // --save FILE: save the final record there without asking
  asOf?: string; // --as-of
  timeZone: string;
  now: () => number; // the clock, injected
  color: boolean;
  verbose: boolean;
  renderReport: (result: ScreeningResult) => string; // the same text report as `screen FILE`, provided by the CLI
  io: SessionIo; // the terminal, the working directory and the signals
  prompts?: Prompts; // instead of the terminal's (tests script a session in-process)
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

/** The session's state before an answer: what "back" restores. */
interface Snapshot {
  readonly record: JsonRecord;
  readonly asked: ReadonlySet<string>;
  readonly skipped: ReadonlySet<string>;
  readonly announced: ReadonlySet<string>;
  readonly offeredStop: boolean;
  readonly screeningOffset: number | undefined;
  readonly changed: boolean;
}

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
  const prompts = options.prompts ?? {
    input: (config, ctx) => input(config, { ...context, ...ctx }),
    select: (config, ctx) => select(config, { ...context, ...ctx }),
    confirm: (config, ctx) => confirm(config, { ...context, ...ctx }),
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
  private asked = new Set<string>();
  private announced = new Set<string>();
  private readonly warned = new Set<string>();
  private skipped = new Set<string>();
  private readonly kept = new Map<string, KeptLab>();
  /** The state before each answer of this session, newest last: "back" restores the last one. */
  private readonly history: Snapshot[] = [];
  /** The screening time's offset, when it was given with one: typed times are read in it. */
  private screeningOffset: number | undefined;
  private offeredStop = false;
  private lastGroup = "";
  private lastStatus = "";
  /** Something was entered or changed by the user: only then is a draft worth writing. */
  private changed = false;
  private screeningTyped = false;
  private draftWritten: string | undefined;
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
    ui.note(`Only what can still change the outcome is asked. Answer “unknown” or “?” (or leave it blank) to skip, “${BACK_WORD}” to return to the previous question.`);
    ui.note("Ctrl-C saves a draft.");

    // Keys moved at the user's word are entered data: worth a draft if interrupted.
    if (resuming && (await this.repair(fixMisspeltKeys))) this.changed = true;
    if (!resuming && !hasAt(this.record, subject.id) && rules.fields.has(subject.id)) {
      const question: Question = { path: subject.id, kind: "field", criteria: [], present: false };
      while (!(await this.askAndApply(question))) ui.note("  this is the first question: nothing to go back to");
    }
    await this.settleScreeningTime();
    this.history.length = 0; // "back" goes no further than the first criterion question
    if (!(await this.repair(dropInvalidFields))) return 2;

    const result = this.screened();
    this.showWarnings(result, undefined);
    this.lastStatus = statusLine(result);
    if (resuming) ui.line(`Resuming${typeof this.record[subject.id] === "string" ? ` ${String(this.record[subject.id])}` : ""}: ${this.lastStatus}`);
    for (;;) {
      const stopped = await this.askAll();
      const result = this.screened();
      if (!stopped) for (const line of stillUnknown(rules, result, this.skipped)) ui.note(line);
      ui.line();
      const report = options.renderReport(result);
      ui.line(report.endsWith("\n") ? report.slice(0, -1) : report);
      ui.line();
      if (options.savePath !== undefined) return this.saveGiven(options.savePath) ? exitCodeFor([result.verdict]) : 2;
      if (await this.reviewAndSave()) return exitCodeFor([result.verdict]);
    }
  }

  /** The review, then the save if wanted. False when an answer was changed (the session goes on). */
  private async reviewAndSave(): Promise<boolean> {
    const subject = this.rules.file.subject;
    // A lab value changed in the review keeps its ULN when given in the same unit (as on resume).
    for (const [path, kept] of labUlns(this.rules, this.record)) this.kept.set(path, kept);
    for (;;) {
      const choice = await review(this.rules, this.env(), this.skipped, new Set([...this.asked, ...(this.screeningTyped ? [subject.screenedAt] : [])]));
      if (choice.kind === "edit") {
        this.applyEdit(choice);
        return false;
      }
      // "back" at the file name returns to the review.
      if (choice.kind === "discard" || (await saveAsked(this.saveContext(), suggestedFileName(this.record[subject.id])))) return true;
    }
  }

  /**
   * Asks until nothing left can change an outcome, or the user stops at a failure. "back" (at a
   * question, or at the offer to stop) undoes the last answer, and its question is asked again.
   */
  private async askAll(): Promise<boolean> {
    let result = this.screened();
    let next = this.nextQuestion();
    for (;;) {
      const after = await this.afterFailures(result, next);
      if (after === "stop") return true;
      if (after === "back") this.goBack();
      else if (!next) return false;
      else if (!(await this.askAndApply(next))) this.goBack();
      else {
        const before = result;
        result = this.screened();
        this.showWarnings(result, next.path);
        if (this.options.verbose) showChanges(this.ui, before, result);
      }
      result = this.screened();
      this.showStatus(result);
      next = this.nextQuestion();
    }
  }

  /** The status line, only when it says something new. */
  private showStatus(result: ScreenedResult): void {
    const line = statusLine(result);
    if (line === this.lastStatus) return;
    this.lastStatus = line;
    this.ui.line(this.ui.style.cyan(line));
  }

  private snapshot(): Snapshot {
    return {
      record: this.record,
      asked: new Set(this.asked),
      skipped: new Set(this.skipped),
      announced: new Set(this.announced),
      offeredStop: this.offeredStop,
      screeningOffset: this.screeningOffset,
      changed: this.changed,
    };
  }

  /** Undoes the last answer (its question comes next again). False when there is none. */
  private goBack(): boolean {
    const last = this.history.pop();
    if (!last) {
      // The patient id and screening time come before the criteria's questions: the review changes them.
      this.ui.note(`  nothing to go back to${this.options.partial === undefined && this.options.savePath === undefined ? " (the patient id and screening time can be changed in the review before saving)" : ""}`);
      return false;
    }
    this.record = last.record;
    this.asked = new Set(last.asked);
    this.skipped = new Set(last.skipped);
    this.announced = new Set(last.announced);
    this.offeredStop = last.offeredStop;
    this.screeningOffset = last.screeningOffset;
    this.changed = last.changed;
    this.lastGroup = "";
    this.ui.note("  back: the previous answer is undone");
    return true;
  }

  /** A change made in the review: kept like any answer (and undone by "back" like one). */
  private applyEdit(edit: ReviewChoice & { kind: "edit" }): void {
    this.history.push(this.snapshot());
    this.changed = true;
    this.asked.add(edit.path);
    if (edit.value === undefined) {
      this.record = withoutValue(this.record, edit.path);
      this.skipped.add(edit.path);
      this.ui.note(`  ${edit.path} is now unknown`);
    } else {
      this.record = withValue(this.record, edit.path, edit.value);
      this.skipped.delete(edit.path);
      if (edit.path === this.rules.file.subject.screenedAt) this.screeningOffset = edit.offsetTyped ? offsetGiven(edit.value) : undefined;
    }
    // An edited answer may fail a criterion again: announced anew, with the offer to stop.
    const result = this.screened();
    for (const id of [...this.announced]) if (!result.failed.includes(id)) this.announced.delete(id);
    this.offeredStop = false;
    this.showStatus(result);
  }

  /** Runs a repair of the resumed record (repairs may ask) and keeps its record; returns its outcome. */
  private async repair(step: (repair: Repair) => boolean | Promise<boolean>): Promise<boolean> {
    const context: Repair = { rules: this.rules, ui: this.ui, stderr: this.options.io.stderr, screen: (r) => this.screen(r), kept: this.kept, record: this.record };
    const outcome = await step(context);
    this.record = context.record;
    return outcome;
  }

  /** Ctrl-C: the record so far goes to a draft file, whose path is printed on stderr. */
  interrupted(): number {
    const { stderr } = this.options.io;
    if (!this.changed) {
      const resumed = this.options.partialPath;
      stderr.write(`\nInterrupted. Nothing was entered, so no draft was written${resumed ? ` (${resumed} is unchanged)` : ""}.\n`);
      return EXIT_INTERRUPTED;
    }
    const dir = draftDirectory(this.options.savePath, this.options.io.cwd);
    try {
      const path = writeDraft(this.record, dir, this.options.now());
      this.draftWritten = path;
      stderr.write(`\nInterrupted. What was entered is saved in ${path}\nResume with: screen --interactive ${path}\n`);
    } catch (err) {
      stderr.write(`\nInterrupted. Could not write a draft in ${dir} (${(err as Error).message}); the record so far:\n${JSON.stringify(this.record)}\n`);
    }
    return EXIT_INTERRUPTED;
  }

  private saveContext(): SaveContext {
    return { ui: this.ui, cwd: this.options.io.cwd, record: this.record, draftWritten: this.draftWritten, resumedFrom: this.options.partialPath };
  }

  /** --save writes without asking. False when that failed (a draft is written instead). */
  private saveGiven(savePath: string): boolean {
    const problem = saveGiven(this.saveContext(), savePath);
    if (problem === undefined) return true;
    this.options.io.stderr.write(`screen: cannot write ${savePath}: ${problem}\n`);
    this.interrupted();
    return false;
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

  /** Asks and keeps the answer; false when the answer was "back" (nothing kept). */
  private async askAndApply(question: Question): Promise<boolean> {
    this.showContext(question);
    const answer: Answer = await ask(question, this.env());
    if (answer.kind === "back") return false;
    this.history.push(this.snapshot());
    this.asked.add(question.path);
    // "unknown" leaves the field as it was: absent stays absent, a value that did not decide stays.
    if (answer.kind === "set") {
      this.record = withValue(this.record, question.path, answer.value);
      this.changed = true;
    } else this.skipped.add(question.path);
    return true;
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
    while (!hasAt(this.record, path)) {
      this.showContext({ path, kind: "field", criteria: [], present: false });
      const answer = await askScreeningTime(path, rules.fields.get(path)?.label ?? "screening time", this.env());
      if (!answer) {
        ui.note(`  the screening time comes first${options.savePath === undefined ? "; the patient id can be changed in the review before saving" : ""}`);
        continue;
      }
      this.record = withValue(this.record, path, answer.text);
      this.screeningOffset = answer.offsetTyped ? offsetGiven(answer.text) : undefined;
      this.changed = true;
      this.screeningTyped = true;
    }
    const future = futureWarning(getAt(this.record, path), options.timeZone, options.now());
    if (future) ui.line(ui.style.yellow(future));
    const where = this.screeningOffset === undefined ? "in" : `at ${formatOffset(this.screeningOffset)},`;
    ui.note(`Times typed without a UTC offset are read ${where} ${readingWords(this.reading)}.`);
  }

  /**
   * Announces new failures; the first time, with more to ask, offers to stop (or to go back and
   * change the answer that failed). A failure the next question may still undo (the lab report's
   * own ULN against a site range) is announced only once that question is answered, so nobody
   * stops on a verdict about to change.
   */
  private async afterFailures(result: ScreenedResult, next: Question | undefined): Promise<"stop" | "continue" | "back"> {
    const mayUndo = new Set(next?.kind === "uln" ? next.criteria.map((c) => c.id) : []);
    const fresh = result.criteria.filter((c) => c.outcome === "fail" && !this.announced.has(c.id) && !mayUndo.has(c.id));
    if (!fresh.length) return "continue";
    const moreToAsk = next !== undefined;
    for (const c of fresh) {
      this.announced.add(c.id);
      this.ui.line(this.ui.style.red(`✖ ${c.id} fails (${c.text}): ${c.reason}`));
    }
    if (this.offeredStop || !moreToAsk) return "continue";
    this.offeredStop = true;
    type Choice = { name: string; value: "stop" | "continue" | "back"; short: string };
    const choices: Choice[] = [
      { name: "stop — show the report now", value: "stop", short: "stop" },
      { name: "continue — answer the remaining questions", value: "continue", short: "continue" },
    ];
    if (this.history.length) choices.push({ name: "back — change the last answer", value: "back", short: "back" });
    return this.ui.prompts.select<"stop" | "continue" | "back">({
      message: `The patient is ineligible (${result.failed.join(", ")}). Stop here, or continue to complete the record for the screening log?`,
      choices,
      theme: this.ui.theme,
    });
  }

  private showContext(question: Question): void {
    this.lastGroup = showContext(this.ui, this.rules, this.record, question, this.lastGroup);
  }

  private showWarnings(result: ScreenedResult, path: string | undefined): void {
    showWarnings(this.ui, result, path, this.warned, this.options.verbose);
  }
}
