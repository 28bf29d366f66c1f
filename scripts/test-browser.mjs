// The printed documents checked in a real browser (issue 13): the eligibility checklist
// (--format html) and the screening report (--report) are rendered by headless Chromium, printed
// to PDF at A4 and US Letter, and checked: every patient starts a page, nothing is cut at the right
// edge, nothing is fetched, and the flow diagram's labels do not overlap. Screenshots go to
// .browser-check/ (git-ignored) for a person to look at.
//
/* global document -- the functions given to page.evaluate run in the browser */
// Needs `npm run build` first and a Chromium: CHROMIUM=/path, else /usr/bin/chromium (Debian).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const root = resolve(import.meta.dirname, "..");
const out = join(root, ".browser-check");
const executablePath = process.env.CHROMIUM ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
if (!executablePath) {
  console.error("test-browser: no Chromium found (apt-get install chromium, or set CHROMIUM=/path)");
  process.exit(1);
}
mkdirSync(out, { recursive: true });

// Paper sizes in CSS px (96/in) and the documents' own @page margins (12 mm left and right).
const PAPERS = { A4: { width: (210 / 25.4) * 96 }, Letter: { width: 8.5 * 96 } };
const SIDE_MARGINS = ((12 + 12) / 25.4) * 96;

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"}  ${what}`);
}

/**
 * The documents, made by the CLI exactly as a coordinator would: checklists for a sheet, a FHIR
 * Bundle and an NDJSON batch (with an invalid line), and the report for 600 generated records.
 */
function produce() {
  const cli = join(root, "bin", "screen.js");
  const run = (args, output) => {
    rmSync(output, { force: true });
    // Exit 0-3 are verdicts (2 also for an invalid record); a usage error writes no file.
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });
    if (!existsSync(output)) throw new Error(`screen ${args.join(" ")} wrote no ${output} (exit ${r.status}): ${r.stderr}`);
  };
  const checklist = join(out, "checklist.html");
  const report = join(out, "report.html");
  const big = join(out, "big.ndjson");
  const inputs = ["fixtures/batch.ndjson", "fixtures/sheet.csv", "fixtures/fhir-bundle.json"];
  run([...inputs, "--format", "html", "-o", checklist], checklist);
  run([...inputs, "--format", "pdf", "-o", join(out, "checklist.pdf")], join(out, "checklist.pdf"));
  execFileSync(process.execPath, [join(root, "scripts", "gen-records.mjs"), "600", "--out", big]);
  run([big, "--format", "ndjson", "-o", join(out, "results.ndjson"), "--report", report], report);
  const log = spawnSync(process.execPath, [cli, ...inputs, "--format", "ndjson"], { cwd: root, encoding: "utf8" }).stdout;
  const patients = log.trim().split("\n").length;
  return { checklist, report, patients };
}

async function pdfPages(buffer) {
  const pdf = await getDocument({ data: new Uint8Array(buffer), verbosity: 0 }).promise;
  const pages = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const [, , width] = page.view;
    const items = (await page.getTextContent()).items.filter((i) => "str" in i && i.str.trim());
    pages.push({ width, text: items.map((i) => i.str).join(" "), rightmost: Math.max(0, ...items.map((i) => i.transform[4] + i.width)) });
  }
  return pages;
}

/** Elements whose box pokes out past the printable width (the right edge that would be cut). */
async function overflowing(page, width) {
  await page.setViewportSize({ width: Math.floor(width), height: 1100 });
  return page.evaluate((limit) => {
    const bad = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > limit + 0.5) bad.push(`${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""} right=${Math.round(r.right)}`);
    }
    if (document.documentElement.scrollWidth > limit + 0.5) bad.push(`page scrollWidth=${document.documentElement.scrollWidth}`);
    return bad.slice(0, 5);
  }, Math.floor(width));
}

/** Pairs of SVG text labels whose boxes intersect, and labels outside their SVG. */
async function svgTextProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    for (const svg of document.querySelectorAll("svg")) {
      const frame = svg.getBoundingClientRect();
      const boxes = [...svg.querySelectorAll("text")].map((t) => ({ t: t.textContent, r: t.getBoundingClientRect() }));
      for (const b of boxes) {
        if (b.r.left < frame.left - 0.5 || b.r.right > frame.right + 0.5 || b.r.top < frame.top - 0.5 || b.r.bottom > frame.bottom + 0.5) problems.push(`outside its SVG: "${b.t}"`);
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r;
          const b = boxes[j].r;
          const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
          if (overlap) problems.push(`overlap: "${boxes[i].t}" / "${boxes[j].t}"`);
        }
      }
    }
    return problems;
  });
}

const docs = produce();
const userDataDir = mkdtempSync(join(tmpdir(), "screen-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const fetched = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    fetched.push(url);
    return route.abort();
  });

  for (const [name, file] of [["checklist", docs.checklist], ["report", docs.report]]) {
    fetched.length = 0;
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const scripts = await page.evaluate(() => document.querySelectorAll("script, link[rel=stylesheet], img[src^=http], iframe").length);
    check(scripts === 0 && fetched.length === 0, `${name}: self-contained (no script, nothing fetched${fetched.length ? `: ${fetched.join(", ")}` : ""})`);
    await page.emulateMedia({ media: "print" });
    for (const [paper, { width }] of Object.entries(PAPERS)) {
      const bad = await overflowing(page, width - SIDE_MARGINS);
      check(bad.length === 0, `${name} ${paper}: nothing wider than the printable width${bad.length ? ` (${bad.join("; ")})` : ""}`);
      const pdf = await page.pdf({ format: paper, printBackground: true });
      writeFileSync(join(out, `${name}-${paper}.pdf`), pdf);
      const pages = await pdfPages(pdf);
      const cut = pages.filter((p) => p.rightmost > p.width - 20);
      check(cut.length === 0, `${name} ${paper}: no text runs into the right margin (${pages.length} pages)`);
      if (name === "checklist") {
        const starts = pages.filter((p) => p.text.includes("Eligibility checklist"));
        const firsts = starts.map((p) => p.text.indexOf("Eligibility checklist") < 5);
        check(pages.length >= docs.patients && starts.length === docs.patients && firsts.every(Boolean), `${name} ${paper}: ${docs.patients} patients, each starting its own page (${pages.length} pages)`);
        const withRows = pages.filter((p) => /[✓✗]|Cannot be decided yet|Not applicable/.test(p.text));
        const headed = withRows.filter((p) => p.text.includes("Registry text"));
        check(headed.length === withRows.length, `${name} ${paper}: every page with criteria rows repeats the table header (${headed.length}/${withRows.length})`);
        const anonymous = pages.map((p, i) => i + 1).filter((i) => !/Eligibility checklist — |Patient .* eligibility checklist/.test(pages[i - 1].text));
        check(anonymous.length === 0, `${name} ${paper}: every page names its patient${anonymous.length ? ` (not pages ${anonymous.join(", ")})` : ""}`);
      } else {
        check(pages.length >= 1 && pages[0].text.includes("Screening report"), `${name} ${paper}: printed (${pages.length} pages)`);
      }
      await page.setViewportSize({ width: Math.floor(width), height: 1200 });
      await page.screenshot({ path: join(out, `${name}-${paper}.png`), fullPage: false });
    }
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1000, height: 900 });
    const svg = await svgTextProblems(page);
    check(svg.length === 0, `${name}: SVG labels inside their diagram and not overlapping${svg.length ? ` (${svg.slice(0, 5).join("; ")})` : ""}`);
    await page.screenshot({ path: join(out, `${name}-screen.png`), fullPage: true });
    if (name === "report") await page.locator("figure").first().screenshot({ path: join(out, "report-flow.png") });
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log("screenshots and PDFs in .browser-check/");
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
