/**
 * The one result type, and the one problem type, that every layer above the ground speaks:
 * the engine fills criterion rows, `screen()` builds a result, inputs attach a position and
 * sources, reporters print it. Types only, plus two tiny constructors; nothing here imports
 * anything but the ground, so any layer may import it.
 */
import type { Outcome, Verdict } from "./logic/kleene.js";

/** A place in a record (a dotted path, "" for the whole input) and what is wrong or worth knowing there. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** The rules a result was computed with: the trial, the file's version and the sha256 of its bytes. */
export interface RulesMeta {
  readonly trial: string;
  readonly version: string;
  readonly sha256: string;
}

/** One criterion's row in a result. */
export interface CriterionOutcome {
  readonly id: string;
  readonly category: "inclusion" | "exclusion";
  readonly text: string;
  readonly outcome: Outcome;
  readonly reason: string;
  /** Record paths that would decide an unknown criterion. */
  readonly needs?: readonly string[];
  /** When the criterion fails only because a time window has not opened yet: the moment it opens. */
  readonly recheckAt?: string;
}

export interface ScreenedResult {
  id?: string;
  verdict: Verdict;
  failed: string[];
  unknown: string[];
  criteria: CriterionOutcome[];
  screenedAt: string;
  /** The same moment in the offset it was given in: the screening date is this one's date. */
  screenedAtLocal?: string;
  rules: RulesMeta;
  warnings: Problem[];
}

export interface ErrorResult {
  id?: string;
  verdict: "error";
  errors: Problem[];
  rules: RulesMeta;
  warnings: Problem[];
}

export type ScreeningResult = ScreenedResult | ErrorResult;

/** A spreadsheet cell: the sheet's row number (the header is row 1) and the record path its column feeds. */
export interface CellSource {
  readonly row: number;
  readonly column: string;
  /** The column's spreadsheet letter (A, B, … AA), as a coordinator finds it. */
  readonly letter?: string;
  /** The sheet's own header for the column, when it is not the record path (mapped by --columns). */
  readonly header?: string;
  /** The cell's text as written. */
  readonly value?: string;
}

/** A FHIR resource: `Observation/123`, the code that mapped it, and its effective time. */
export interface ResourceSource {
  readonly resource: string;
  readonly code?: string; // system|code
  readonly effective?: string;
  readonly element?: string; // the element read, e.g. onsetDateTime, or a QuestionnaireResponse linkId
}

export type SourceRef = CellSource | ResourceSource;

/** Record path → where its value came from. */
export type SourceMap = Record<string, SourceRef>;

/** Where a result's record came from in the input: echoed so a person can find it. */
export interface Position {
  readonly file?: string; // set when more than one input file is given
  readonly line?: number; // 1-based physical line, for NDJSON
  readonly index?: number; // 0-based, for a JSON array
  readonly sources?: SourceMap; // record path → spreadsheet cell or FHIR resource (adapted input only)
}

export type OutputResult = ScreeningResult & Position;

/** Places the position right after the id, so the key order reads naturally. */
export function positioned(result: ScreeningResult, pos: Position): OutputResult {
  // Built key by key rather than with a rest spread: this runs once per record of a batch.
  const out: Record<string, unknown> = {};
  if (result.id !== undefined) out.id = result.id;
  if (pos.file !== undefined) out.file = pos.file;
  if (pos.line !== undefined) out.line = pos.line;
  if (pos.index !== undefined) out.index = pos.index;
  for (const key in result) if (key !== "id") out[key] = (result as unknown as Record<string, unknown>)[key];
  if (pos.sources !== undefined) out.sources = pos.sources;
  return out as unknown as OutputResult;
}

/** An error result for input that never became a record (unreadable file, malformed line). */
export function inputError(message: string, rules: RulesMeta, path = ""): ErrorResult {
  return { verdict: "error", errors: [{ path, message }], rules, warnings: [] };
}

/** "row 3, column stroke.nihss" or "Observation/42 valueQuantity http://loinc.org|2160-0 at …". */
export function describeSource(ref: SourceRef): string {
  if ("row" in ref) {
    const name = ref.header !== undefined ? `${ref.header} → ${ref.column}` : ref.column;
    return ref.letter !== undefined ? `row ${ref.row}, column ${ref.letter} (${name})` : `row ${ref.row}, column ${name}`;
  }
  const parts = [ref.resource];
  if (ref.element) parts.push(ref.element);
  if (ref.code) parts.push(ref.code);
  if (ref.effective) parts.push(`at ${ref.effective}`);
  return parts.join(" ");
}

/**
 * Options that cannot work (an unknown time zone, a bad --as-of, an unreadable mapping): the
 * caller's mistake, not a record's. The CLI turns it into exit 2 with the message.
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Thrown by a synchronous step that needs code not loaded yet: a library kept out of a one-record
 * run's start-up (zod to word a malformed record, wrap-ansi for text that is not narrow). The
 * caller, which can wait, loads it and runs the step again (`soon`); nothing was written meanwhile.
 */
export class LoadFirst extends Error {
  override name = "LoadFirst";
  constructor(
    what: string,
    readonly load: () => Promise<void>,
  ) {
    super(`${what} was needed before it was loaded`);
  }
}

/** `step()`, now if it can be, else once what it needs is loaded (a step that asks again after that is a bug, thrown). */
export function soon<T>(step: () => T, loaded = 0): T | Promise<T> {
  try {
    return step();
  } catch (err) {
    if (!(err instanceof LoadFirst) || loaded > 3) throw err;
    return err.load().then(() => soon(step, loaded + 1));
  }
}
