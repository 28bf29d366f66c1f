// npm run conformance [DIR] [--as-of T]: screens every FHIR Bundle under DIR (default
// ../shared/fhir-samples beside the repository; skipped with a message when absent) and prints, as
// Markdown, the coverage table and the counts of verdicts and warnings, plus the checks of issue 11:
// labs, warfarin and thrombolysis picked up, no stale lab used, no years-old stroke failing INC-06,
// deceased patients refused. Needs `npm run build` (it runs the built library, in-process).
//
// Each Bundle is screened twice, at times taken from its own data (a fixed date would make every
// export stale): "at the end of the record" (one day after the latest time it holds), and, for
// Bundles with a stroke Condition, "in the stroke episode" (two days after the latest stroke onset,
// inside INC-06's 24 h–14 d window). --as-of T screens every Bundle once, at T.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const args = process.argv.slice(2);
const asOfAt = args.indexOf("--as-of");
const asOf = asOfAt >= 0 ? args.splice(asOfAt, 2)[1] : undefined;
const dir = resolve(args[0] ?? join(root, "..", "shared", "fhir-samples"));
if (!existsSync(dir)) {
  console.log(`conformance: ${dir} does not exist; skipped (give a directory of FHIR Bundles: npm run conformance DIR)`);
  process.exit(0);
}
if (!existsSync(join(root, "dist", "input", "fhir", "bundle.js"))) {
  console.error("conformance: run `npm run build` first");
  process.exit(2);
}

const { loadRules } = await import("../dist/rules/load.js");
const { loadFhirMapping } = await import("../dist/rules/mapping/fhir.js");
const { bundleToRecords } = await import("../dist/input/fhir/bundle.js");
const { screen } = await import("../dist/screen.js");
const { CoverageCollector } = await import("../dist/input/coverage.js");
const { renderCoverage } = await import("../dist/report/coverage.js");

const rules = loadRules();
const mapping = loadFhirMapping(rules);
const DAY = 86_400_000;
const LAB_PATHS = [...rules.labs.values()].map((l) => l.path);
const onsetPath = mapping.file.conditionOnsets[0]?.path;
const onsetMatch = mapping.file.conditionOnsets.map((o) => mapping.matcher(o.codes));

/** Every Bundle under dir: .json (a Bundle or an array of them) and .ndjson (one per line). */
function* bundles(d) {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) yield* bundles(p);
    else if (name.endsWith(".ndjson")) {
      const lines = readFileSync(p, "utf8").split("\n");
      for (let i = 0; i < lines.length; i++) if (lines[i].trim()) yield { where: `${relative(dir, p)}:${i + 1}`, json: JSON.parse(lines[i]) };
    } else if (name.endsWith(".json")) {
      const json = JSON.parse(readFileSync(p, "utf8"));
      if (Array.isArray(json)) for (let i = 0; i < json.length; i++) yield { where: `${relative(dir, p)}[${i}]`, json: json[i] };
      else yield { where: relative(dir, p), json };
    }
  }
}

const TIME_KEYS = new Set(["effectiveDateTime", "effectiveInstant", "issued", "onsetDateTime", "recordedDate", "authoredOn", "performedDateTime", "start", "end", "deceasedDateTime"]);
/** The latest full timestamp or date anywhere in the Bundle's clinical data. */
function latestTime(bundle) {
  let best = -Infinity;
  const walk = (v, key) => {
    if (typeof v === "string" && TIME_KEYS.has(key) && /^\d{4}-\d{2}-\d{2}/.test(v)) {
      const ms = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
      if (Number.isFinite(ms) && ms > best) best = ms;
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(bundle, "");
  return Number.isFinite(best) ? best : undefined;
}

/** The latest onset of a Condition the mapping reads as the current event's onset. */
function latestOnset(bundle) {
  let best;
  for (const e of bundle.entry ?? []) {
    const r = e?.resource;
    if (r?.resourceType !== "Condition" || typeof r.onsetDateTime !== "string") continue;
    if (!(r.code?.coding ?? []).some((c) => onsetMatch.some((m) => m(c)))) continue;
    const ms = Date.parse(r.onsetDateTime);
    if (Number.isFinite(ms) && (best === undefined || ms > best)) best = ms;
  }
  return best;
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

function newTally() {
  return { bundles: 0, unreadable: 0, verdicts: { eligible: 0, ineligible: 0, incomplete: 0, error: 0 }, warnings: 0, kinds: new Map(), picked: new Map(LAB_PATHS.concat(["medications.warfarin", "stroke.thrombolysis", "stroke.onset"]).map((p) => [p, 0])), held: new Map(), staleUsed: 0, oldStrokeFailingInc06: 0, deceasedRefused: 0, deceasedScreened: 0, coverage: new CoverageCollector(rules, mapping.label) };
}

const KINDS = [
  [/old at screening/, "lab older than its maxAge: not used"],
  [/no effective time, so whether it is within/, "undated lab: not used"],
  [/earlier event, not taken as/, "old stroke Condition: not this stroke"],
  [/not mapped \(no code in the mapping table/, "resources not mapped (one warning per record)"],
  [/after the screening time/, "dated after the screening time: not used"],
  [/give every criterion the same outcome/, "simultaneous results agreeing: lowest used"],
  [/would decide differently/, "simultaneous results disagreeing: unknown"],
  [/disagrees with itself/, "the Bundle disagrees with itself: unknown"],
  [/is not mapped for labs\./, "lab unit not in the table: unknown"],
  [/period ended before screening/, "ended identifier skipped"],
  [/converted to/, "unit converted"],
  [/so whether it was done cannot be told/, "treatment whose status does not say it was done: unknown"],
  [/not final\/amended\/corrected/, "Observation without a final status: not used"],
  [/whether it still counts is for the investigator/, "Condition not active: unknown"],
  [/used the latest onset at or before screening/, "several onsets: the latest used"],
  [/used the latest at or before screening/, "several results: the latest used"],
];
const kindOf = (m) => {
  const kind = KINDS.find(([re]) => re.test(m))?.[1];
  if (!kind && process.env.CONFORMANCE_DEBUG) console.error(m);
  return kind ?? "other";
};

function screenOne(t, bundle, atMs) {
  t.bundles++;
  const screening = { ms: atMs, offsetMin: 0 };
  const read = bundleToRecords(bundle, { rules, mapping, timeZone: "UTC", screening });
  if (!read.ok) {
    t.unreadable++;
    t.verdicts.error++;
    t.coverage.add({ error: read.error });
    return;
  }
  for (const p of read.patients) {
    t.coverage.add({ ...(p.error ? { error: p.error.message } : { value: p.record }), sources: p.sources, ...(p.unmappedCodes ? { unmappedCodes: p.unmappedCodes } : {}) });
    const dead = bundle.entry?.find((e) => e?.resource?.resourceType === "Patient" && e.resource.deceasedDateTime && Date.parse(e.resource.deceasedDateTime) <= atMs);
    for (const w of p.warnings) {
      t.warnings++;
      const k = kindOf(w.message);
      t.kinds.set(k, (t.kinds.get(k) ?? 0) + 1);
    }
    if (p.error) {
      t.verdicts.error++;
      if (/deceased/.test(p.error.message)) t.deceasedRefused++;
      continue;
    }
    if (dead) t.deceasedScreened++;
    for (const path of t.picked.keys()) {
      if (p.sources[path]) t.picked.set(path, t.picked.get(path) + 1);
      else if (p.warnings.some((w) => w.path === path)) t.held.set(path, (t.held.get(path) ?? 0) + 1);
    }
    for (const path of LAB_PATHS) {
      const eff = p.sources[path]?.effective;
      if (eff && atMs - Date.parse(eff.length === 10 ? `${eff}T23:59:59Z` : eff) > 14 * DAY) t.staleUsed++;
    }
    const result = screen(p.record, rules, { asOf: iso(atMs), timeZone: "UTC" });
    t.verdicts[result.verdict]++;
    t.warnings += result.warnings.length;
    const onset = p.sources[onsetPath]?.effective ?? p.record.stroke?.onset;
    const inc06 = result.verdict !== "error" ? result.criteria.find((c) => c.id === "INC-06") : undefined;
    if (inc06?.outcome === "fail" && typeof onset === "string" && atMs - Date.parse(onset) > 14 * DAY) t.oldStrokeFailingInc06++;
  }
}

function section(title, t, note) {
  const out = [`## ${title}`, "", note, ""];
  out.push(`Bundles: ${t.bundles} (${t.unreadable} not readable as a Bundle with a Patient). Records screened: ${t.coverage.report().inputs}.`, "");
  out.push("| verdict | records |", "|---|---|", ...Object.entries(t.verdicts).map(([v, n]) => `| ${v} | ${n} |`), "");
  out.push("| check | count |", "|---|---|");
  for (const [path, n] of t.picked) {
    out.push(`| records with \`${path}\` read from the Bundle | ${n} |`);
    if (t.held.get(path)) out.push(`| records with \`${path}\` found but left unknown (a warning says why) | ${t.held.get(path)} |`);
  }
  out.push(`| labs used although older than 14 d at screening | ${t.staleUsed} |`);
  out.push(`| INC-06 failed on an onset more than 14 d old | ${t.oldStrokeFailingInc06} |`);
  out.push(`| deceased (at or before screening) refused as an error | ${t.deceasedRefused} |`);
  out.push(`| deceased (at or before screening) screened anyway | ${t.deceasedScreened} |`, "");
  out.push(`Warnings: ${t.warnings} in all.`, "", "| warning | count |", "|---|---|");
  for (const [k, n] of [...t.kinds].sort((a, b) => b[1] - a[1])) out.push(`| ${k} | ${n} |`);
  out.push("", "```", renderCoverage(t.coverage.report(), "text").trimEnd(), "```", "");
  return out.join("\n");
}

const all = [...bundles(dir)];
const header = [`# Conformance run over ${relative(root, dir) || dir}`, "", `${all.length} Bundles; rules ${rules.meta.trial} v${rules.meta.version}, mapping ${mapping.file.name} v${mapping.file.version}. Written by \`npm run conformance\`.`, ""];
if (asOf !== undefined) {
  const at = Date.parse(asOf);
  if (!Number.isFinite(at)) {
    console.error(`conformance: --as-of ${asOf} is not a timestamp`);
    process.exit(2);
  }
  const t = newTally();
  for (const b of all) screenOne(t, b.json, at);
  console.log([...header, section(`Screened at ${asOf}`, t, "Every Bundle at the same time.")].join("\n"));
} else {
  const end = newTally();
  const episode = newTally();
  for (const b of all) {
    const last = latestTime(b.json);
    screenOne(end, b.json, (last ?? Date.now()) + DAY);
    const onset = latestOnset(b.json);
    if (onset !== undefined) screenOne(episode, b.json, onset + 2 * DAY);
  }
  console.log(
    [
      ...header,
      section("At the end of the record", end, "Each Bundle screened one day after the latest time it holds (a patient who died is then refused; old labs and old strokes are not used)."),
      section("In the stroke episode", episode, "Each Bundle with a stroke Condition screened two days after its latest stroke onset (inside INC-06's window): labs of the episode, warfarin and thrombolysis should be read."),
    ].join("\n"),
  );
}
