/**
 * The eligibility checklist's content, shared by the HTML and PDF renderers: what a coordinator
 * files per patient (ICH E6 asks for each criterion checked against source data, signed and dated).
 * Pure: built from one result and the rules' own words; the renderers only lay it out.
 */
import type { OutputResult, SourceMap, SourceRef } from "../result.js";
import type { Outcome } from "../logic/kleene.js";
import type { CompiledCriterion, CompiledRules } from "../rules/compiled.js";
import { readsBelow } from "../rules/conditions/index.js";

/** The trial's words every page repeats: from the rules file, not from code. */
export interface DocumentInfo {
  readonly trial: string;
  readonly title: string;
  /** Criterion id → record paths it reads (to name the sources of its values). */
  readonly reads: ReadonlyMap<string, readonly string[]>;
  /** Record path → a person's word for it. */
  readonly labels: ReadonlyMap<string, string>;
}

export type Tone = "met" | "not-met" | "na" | "undecided";

export interface ChecklistRow {
  readonly id: string;
  readonly category: "inclusion" | "exclusion";
  readonly text: string;
  readonly outcome: string; // in words
  readonly mark: string; // a symbol that survives black-and-white printing
  readonly tone: Tone;
  readonly reason: string;
  readonly sources: readonly string[];
}

export interface Needed {
  readonly path: string;
  readonly label: string;
  readonly criteria: readonly string[];
}

export interface Checklist {
  readonly patient: string;
  readonly position: string; // where the record was in the input
  readonly verdict: string; // in words
  readonly verdictDetail: string;
  readonly tone: "eligible" | "ineligible" | "incomplete" | "invalid";
  readonly screenedLocal?: string;
  readonly screenedUtc?: string;
  readonly rules: { trial: string; version: string; sha256: string };
  readonly inclusion: readonly ChecklistRow[];
  readonly exclusion: readonly ChecklistRow[];
  readonly errors: readonly string[];
  readonly needed: readonly Needed[];
  readonly warnings: readonly string[];
}

export function documentInfo(rules: CompiledRules): DocumentInfo {
  const reads = new Map<string, string[]>();
  for (const c of rules.criteria) reads.set(c.id, criterionReads(rules, c));
  return { trial: rules.meta.trial, title: rules.file.title ?? rules.meta.trial, reads, labels: rules.labels };
}

/** The record paths a criterion's conditions read, in first-seen order. */
export function criterionReads(rules: CompiledRules, criterion: CompiledCriterion): string[] {
  const paths = new Set<string>();
  for (const root of [criterion.appliesWhen, criterion.condition]) if (root) for (const p of readsBelow(root)) paths.add(p);
  // An age is derived from the date of birth when that is given: its source speaks for the age.
  const subject = rules.file.subject;
  if (paths.has(subject.age)) paths.add(subject.birthDate);
  return [...paths];
}

/**
 * Outcome words per category. An exclusion is *met* when the patient does not have it: the
 * words say so, so that a tick beside "brain tumour" never reads as "has a brain tumour".
 */
const WORDS: Record<"inclusion" | "exclusion", Record<Outcome, [string, string, Tone]>> = {
  inclusion: {
    pass: ["Met", "✓", "met"],
    fail: ["Not met", "✗", "not-met"],
    not_applicable: ["Not applicable", "–", "na"],
    unknown: ["Cannot be decided yet", "?", "undecided"],
  },
  exclusion: {
    pass: ["Met: not excluded", "✓", "met"],
    fail: ["Not met: excluded", "✗", "not-met"],
    not_applicable: ["Not applicable", "–", "na"],
    unknown: ["Cannot be decided yet", "?", "undecided"],
  },
};

export function outcomeWords(category: "inclusion" | "exclusion", outcome: Outcome): { words: string; mark: string; tone: Tone } {
  const [words, mark, tone] = WORDS[category][outcome];
  return { words, mark, tone };
}

/**
 * Where the values a criterion reads came from, compact enough for a table cell: spreadsheet
 * cells grouped by row ("row 3: stroke.nihss, stroke.aspects"), each FHIR resource once with the
 * time it was taken. The full map stays in the JSON result (`sources`).
 */
export function sourcesOf(paths: readonly string[], sources: SourceMap | undefined): string[] {
  if (!sources) return [];
  const rows = new Map<number, string[]>();
  const resources: string[] = [];
  for (const [p, ref] of Object.entries(sources)) {
    if (!paths.some((read) => p === read || p.startsWith(`${read}.`))) continue;
    if ("row" in ref) rows.set(ref.row, [...(rows.get(ref.row) ?? []), ref.letter ? `${ref.letter} (${ref.column})` : ref.column]);
    else resources.push(describeResource(ref));
  }
  return [...[...rows].map(([row, columns]) => `row ${row}: ${columns.join(", ")}`), ...new Set(resources)];
}

/** A questionnaire's item says which answer; another resource's effective time says which test. */
function describeResource(ref: Exclude<SourceRef, { row: number }>): string {
  if (ref.element?.startsWith("item ")) return `${ref.resource} ${ref.element}`;
  return ref.effective ? `${ref.resource} (${readableLocal(ref.effective)})` : ref.resource;
}

/** "2026-11-24T09:00:00.000+08:00" → "2026-11-24 09:00:00 (UTC+08:00)" */
export function readableLocal(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]} (UTC${m[3] === "Z" ? "" : m[3]})`;
}

export function readableUtc(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** A person's word for a path; a part of a labelled group (labs.alt.uln) is named after it ("ALT uln"). */
export function labelOf(path: string, labels: ReadonlyMap<string, string>): string {
  const own = labels.get(path);
  if (own !== undefined) return own;
  const cut = path.lastIndexOf(".");
  const group = cut > 0 ? labels.get(path.slice(0, cut)) : undefined;
  return group !== undefined ? `${group} ${path.slice(cut + 1)}` : path;
}

function positionOf(r: OutputResult): string {
  return [r.file, r.line !== undefined ? `line ${r.line}` : undefined, r.index !== undefined ? `item ${r.index}` : undefined].filter(Boolean).join(", ");
}

const problem = (p: { path: string; message: string }) => (p.path ? `${p.path}: ${p.message}` : p.message);

export function buildChecklist(r: OutputResult, info: DocumentInfo): Checklist {
  const base = { patient: r.id ?? "(no id)", position: positionOf(r), rules: r.rules, warnings: r.warnings.map(problem) };
  if (r.verdict === "error") {
    return {
      ...base,
      verdict: "Invalid record: not screened",
      verdictDetail: `${r.errors.length} error${r.errors.length === 1 ? "" : "s"} to correct before this patient can be screened`,
      tone: "invalid",
      inclusion: [],
      exclusion: [],
      errors: r.errors.map(problem),
      needed: [],
    };
  }
  const sources = r.sources;
  const rows = r.criteria.map((c): ChecklistRow => {
    const w = outcomeWords(c.category, c.outcome);
    return { id: c.id, category: c.category, text: c.text, outcome: w.words, mark: w.mark, tone: w.tone, reason: c.recheckAt ? `${c.reason} (screen again from ${readableLocal(c.recheckAt)})` : c.reason, sources: sourcesOf(info.reads.get(c.id) ?? [], sources) };
  });
  const needed = new Map<string, string[]>();
  for (const c of r.criteria) for (const p of c.needs ?? []) needed.set(p, [...(needed.get(p) ?? []), c.id]);
  const criteria = (n: number) => `${n} ${n === 1 ? "criterion" : "criteria"}`;
  return {
    ...base,
    verdict: { eligible: "Eligible", ineligible: "Not eligible", incomplete: "Incomplete: cannot be decided yet" }[r.verdict],
    verdictDetail:
      r.verdict === "eligible" ? "every criterion is met or not applicable" :
      r.verdict === "ineligible" ? `${criteria(r.failed.length)} not met: ${r.failed.join(", ")}` :
      `nothing failed; ${criteria(r.unknown.length)} cannot be decided without more data: ${r.unknown.join(", ")}`,
    tone: r.verdict,
    screenedLocal: readableLocal(r.screenedAtLocal ?? r.screenedAt),
    screenedUtc: readableUtc(r.screenedAt),
    inclusion: rows.filter((x) => x.category === "inclusion"),
    exclusion: rows.filter((x) => x.category === "exclusion"),
    errors: [],
    needed: [...needed].map(([path, criteria]) => ({ path, label: labelOf(path, info.labels), criteria })),
    warnings: base.warnings,
  };
}
