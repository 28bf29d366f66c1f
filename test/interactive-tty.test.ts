/**
 * The bedside mode end to end, in a real terminal: tmux runs the program in a pseudo-terminal,
 * `send-keys` types, `capture-pane` reads the screen (polled until the expected prompt shows).
 *
 * Runs the real CLI, `bin/screen.js --interactive` (and `screen ask`), which loads the bundle in
 * dist/bundle/ (its interactive chunk); dist/ is rebuilt first when older than src/.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadRules } from "../src/rules/load.js";
import { screen } from "../src/screen.js";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const TMUX = "tmux";
const hasTmux = spawnSync(TMUX, ["-V"], { stdio: "ignore" }).status === 0;
if (!hasTmux) console.warn("interactive-tty: tmux is not installed, the terminal tests are skipped (apt-get install -y tmux)");

const SOCKET = `screen-tty-${process.pid}`;
const AS_OF = "2026-11-24T09:00:00+08:00";
const rules = loadRules();

function tmux(...args: string[]): string {
  return execFileSync(TMUX, ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
}

/** Rebuilds dist/ when stale: tsc, then the bundle that bin/screen.js (and so the CLI) loads. */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const mtime = (path: string) => {
    try {
      return statSync(join(ROOT, path)).mtimeMs;
    } catch {
      return 0; // not built yet
    }
  };
  if (Math.min(mtime("dist/interactive/run.js"), mtime("dist/bundle/main.js")) >= newest(join(ROOT, "src"))) return;
  spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "ignore" });
  spawnSync(process.execPath, [join(ROOT, "scripts/bundle.mjs")], { cwd: ROOT, stdio: "ignore" });
}

/** The program under test: the real CLI (`screen --interactive`, or its alias `screen ask`). */
function program(mode: "--interactive" | "ask"): string[] {
  return [join(ROOT, "bin/screen.js"), mode];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The machine's zone, and the --as-of given (null: none, so the screening time is asked). */
interface Setting {
  readonly tz?: string;
  readonly asOf?: string | null;
}

class Terminal {
  readonly name: string;
  constructor(
    readonly dir: string,
    args: string[],
    command: string[],
    setting: Setting = {},
  ) {
    this.name = `t${Math.random().toString(36).slice(2, 10)}`;
    const asOf = setting.asOf === undefined ? AS_OF : setting.asOf;
    const line = ["env", `TZ=${setting.tz ?? "Asia/Shanghai"}`, "NO_COLOR=1", process.execPath, ...command, "--no-color", ...(asOf === null ? [] : ["--as-of", asOf]), ...args].map(quote).join(" ");
    // The server exits with its last session; a new one started meanwhile can fail: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        tmux("new-session", "-d", "-s", this.name, "-x", "150", "-y", "60", "-c", dir, `${line}; echo "[exit $?]"; sleep 120`);
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
  }

  /** What the terminal shows now. */
  screen(): string {
    return tmux("capture-pane", "-p", "-J", "-t", this.name);
  }

  /** Everything printed in the session, scrolled-off lines included. */
  history(): string {
    return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", this.name);
  }

  /** Polls the screen until `test` holds; fails with the screen shown. */
  async waitFor(what: string, test: (screen: string) => boolean, timeoutMs = 8000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const shown = this.screen();
      if (test(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${shown}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The question being asked now: the one line that starts with the idle prompt mark "? ". */
  activePrompt(screen: string): string | undefined {
    return screen.split("\n").findLast((l) => l.startsWith("? "));
  }

  async prompt(question: string): Promise<string> {
    return this.waitFor(`the prompt "? ${question}"`, (s) => this.activePrompt(s)?.startsWith(`? ${question}`) ?? false);
  }

  async text(pattern: string | RegExp): Promise<string> {
    return this.waitFor(String(pattern), (s) => (typeof pattern === "string" ? s.includes(pattern) : pattern.test(s)));
  }

  keys(...keys: string[]): void {
    tmux("send-keys", "-t", this.name, ...keys);
  }

  type(text: string): void {
    if (text) tmux("send-keys", "-t", this.name, "-l", text);
  }

  /**
   * Waits for the question, types the answer (a choice number for a select), presses Enter, and
   * waits until the question is no longer the one being asked (so the next step cannot race it).
   */
  async answer(question: string, text: string): Promise<void> {
    const asked = this.activePrompt(await this.prompt(question))!;
    this.type(text);
    this.keys("Enter");
    await this.waitFor(`an answer to "${question}" to be taken`, (s) => !(this.activePrompt(s)?.startsWith(asked) ?? false));
  }

  async exitCode(): Promise<number> {
    const shown = await this.waitFor("the program to exit", (s) => /\[exit \d+\]/.test(s));
    return Number(/\[exit (\d+)\]/.exec(shown)![1]);
  }

  kill(): void {
    spawnSync(TMUX, ["-L", SOCKET, "-f", "/dev/null", "kill-session", "-t", this.name], { stdio: "ignore" });
  }
}

// Answers for an eligible man, in the order they are asked (select answers are choice numbers).
const YES = "1";
const NO = "2";
const eligibleSession: [string, string][] = [
  ["Patient id", "SCR-T1"],
  ["Date of birth", "1968-06-15"],
  ["Sex", "2"],
  ["Stroke onset", "2026-11-20 14:30"], // decides INC-06: its last-known-well flag is not asked
  ["Anterior circulation occlusion?", YES],
  ["Occlusion imaging", "1"],
  ["NIHSS", "9"],
  ["ASPECTS", "8"],
  ["Pre-stroke mRS", "0"],
  ["Thrombolysis?", NO],
  ["Endovascular treatment?", NO],
  ["ALT in U/L", "35"],
  ["AST in U/L", "30"],
  ["Creatinine", "80"],
  ["Creatinine 80: unit?", ""], // preselected: umol/L, the unit in which 80 is plausible
  ["urea/BUN", "5.5"],
  ["urea/BUN 5.5: unit? (plausible as mmol/L (urea) or mg/dL (BUN): type the unit, no default)", "mmol/L"],
  ["Platelets in 10^9/L", "210"], // 10^3/uL is the same number: no unit question
  ["Last heparin dose?", "2"], // none
  ["Warfarin?", NO],
  ["Immunosuppressants?", NO],
  ["Contrast-agent allergy", "1"], // none
  ["Allergy to the study drug or similar drugs?", NO],
  ["Allergic constitution?", NO],
  ["HBsAg", "2"], // negative
  ["Severe local or systemic infection?", NO],
  ["Other infectious disease?", NO],
  ["Significant cardiac dysfunction?", NO],
  ["Other bleeding tendency?", NO],
  ["Coagulation disorder?", NO],
  ["Brain tumour?", NO],
  ["History of epilepsy?", NO],
  ["Severe head trauma?", NO],
  ["Other systemic malignancy?", NO],
  ["Immunodeficiency?", NO],
  ["Other serious systemic disease?", NO],
  ["Neurodegenerative disease preventing follow-up?", NO],
  ["Nasal structural abnormality or lesion?", NO],
  ["Cerebrospinal fluid rhinorrhea?", NO],
  ["Uncontrolled mental illness?", NO],
  ["Last day in another clinical trial?", "2"], // none
  ["Can sign informed consent?", YES],
  ["Able to comply?", YES],
  ["Deemed unsuitable by the investigator?", NO],
];

describe.skipIf(!hasTmux)("interactive mode in a terminal (tmux)", () => {
  let term: Terminal | undefined;
  let dir: string;

  beforeAll(() => ensureBuilt(), 60_000);

  afterEach(() => {
    term?.kill();
    term = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterAll(() => {
    spawnSync(TMUX, ["-L", SOCKET, "-f", "/dev/null", "kill-server"], { stdio: "ignore" });
  });

  const start = (args: string[] = [], mode: "--interactive" | "ask" = "--interactive", setting: Setting = {}) => {
    dir = mkdtempSync(join(tmpdir(), "screen-tty-"));
    term = new Terminal(dir, args, program(mode), setting);
    return term;
  };
  const fixture = (name: string) => resolve(ROOT, "test/fixtures/interactive", name);
  const savedRecord = (name: string) => JSON.parse(readFileSync(join(dir, name), "utf8"));

  it("a full session for an eligible patient: every question in clinical order, the report, the record saved", async () => {
    const t = start();
    for (const [question, answer] of eligibleSession) await t.answer(question, answer);
    await t.prompt("Save the record as JSON?");
    const shown = t.history();
    expect(shown).toContain("decided 27/27 · failed: none · unknown: none");
    expect(shown).toMatch(/\beligible\b/i); // the report
    for (const never of ["? Demographics age", "? Age", "? aPTT", "? INR", "? Pregnant", "? ALT upper limit", "? Onset is the last-known-well"]) expect(shown).not.toContain(never);
    // The status line shows only when an answer changed it (the occlusion alone decides nothing).
    const statuses = shown.split("\n").filter((l) => l.startsWith("decided "));
    expect(statuses.length).toBeGreaterThan(5);
    statuses.forEach((line, i) => expect(line, `status line ${i} repeated`).not.toBe(statuses[i - 1]));
    expect(shown).toContain("NIHSS (a whole number 0–42, blank = unknown)");
    expect(shown).toContain("Review: the answers given in this session");
    expect(shown).toContain("  History of epilepsy: no");
    t.keys("Enter"); // yes — save it
    await t.answer("File name", ""); // the default: SCR-T1.json
    expect(await t.exitCode()).toBe(0);
    expect(statSync(join(dir, "SCR-T1.json")).mode & 0o777).toBe(0o600); // patient data: owner only
    const record = savedRecord("SCR-T1.json");
    expect(record).toMatchObject({ id: "SCR-T1", screenedAt: AS_OF, stroke: { nihss: 9, onset: "2026-11-20T14:30+08:00" }, labs: { creatinine: { value: 80, unit: "umol/L" } } });
    expect(record.labs.platelets).toEqual({ value: 210, unit: "10^9/L" }); // the first declared of the equal units
    expect(record.labs.aptt).toBeUndefined(); // no heparin: aPTT never asked
    expect(record.labs.inr).toBeUndefined(); // no warfarin: INR never asked
    expect(record.reproductive).toBeUndefined(); // a man: no reproductive questions
    expect(screen(record, rules, { timeZone: "Asia/Shanghai" }).verdict).toBe("eligible");
  });

  it("fails early (NIHSS 3), says which criterion and why, and stops on request", async () => {
    const t = start();
    for (const [question, answer] of eligibleSession.slice(0, 6)) await t.answer(question, answer);
    await t.answer("NIHSS", "3");
    const shown = await t.prompt("The patient is ineligible (INC-05)");
    expect(shown).toContain("✖ INC-05 fails (Pre-enrollment NIHSS score >= 6): NIHSS 3 is below 6");
    expect(shown).toContain("failed: INC-05");
    t.keys("1", "Enter"); // stop
    await t.answer("Save the record as JSON?", "n");
    expect(await t.exitCode()).toBe(1);
    const after = t.history();
    expect(after).not.toContain("Thrombolysis?");
    expect(after).toMatch(/\bineligible\b/i);
  });

  it("re-asks an invalid answer with the file-input message (NIHSS 50; creatinine 1.1 in umol/L)", async () => {
    const t = start(["--save", "out.json", resolve(ROOT, "test/fixtures/interactive/missing-nihss-creatinine.json")]);
    await t.prompt("NIHSS");
    t.type("50");
    t.keys("Enter");
    await t.text("> expected an integer from 0 to 42, got 50");
    expect(t.activePrompt(t.screen())).toMatch(/^\? NIHSS/); // still asking
    t.keys("C-u");
    await t.answer("NIHSS", "9");
    await t.answer("Creatinine (", "1.1");
    await t.answer("Creatinine 1.1: unit?", "1"); // umol/L, against the preselected mg/dL
    await t.text(/✖ 1\.1 umol\/L is not a plausible creatinine .*looks like a value in mg\/dL/);
    await t.answer("Creatinine (", "80");
    await t.answer("Creatinine 80: unit?", "");
    expect(await t.exitCode()).toBe(0);
    const record = savedRecord("out.json");
    expect(record.stroke.nihss).toBe(9);
    expect(record.labs.creatinine).toEqual({ value: 80, unit: "umol/L" });
  });

  it("resumes a partial record (`screen ask fixtures/incomplete.json`) and asks only what is missing", async () => {
    const t = start(["--save", "resumed.json", resolve(ROOT, "fixtures/incomplete.json")], "ask");
    const first = await t.prompt("ASPECTS");
    expect(first).toContain("Resuming SCR-0003: decided 24/27 · failed: none · unknown: INC-04 INC-08 EXC-02");
    t.type("8");
    t.keys("Enter");
    await t.answer("urea/BUN", "5.5 urea"); // typed with its unit: no unit question
    await t.answer("Last heparin dose?", "1"); // known: enter the time
    await t.answer("Last heparin dose (", "2026-11-23 20:00"); // 13 h before screening: aPTT matters
    await t.answer("aPTT", "30");
    expect(await t.exitCode()).toBe(0);
    const shown = t.history();
    for (const never of ["? Patient id", "? Screening time", "? Sex", "? NIHSS", "? Warfarin"]) expect(shown).not.toContain(never);
    const record = savedRecord("resumed.json");
    expect(record).toMatchObject({ id: "SCR-0003", stroke: { aspects: 8 }, labs: { bun: { value: 5.5, unit: "mmol/L" }, aptt: { value: 30, unit: "s" } } });
    expect(record.medications.lastHeparinDose).toBe("2026-11-23T20:00+08:00");
  });

  it("Ctrl-C saves what was entered to a readable draft and exits 130", async () => {
    const t = start();
    await t.answer("Patient id", "SCR-CC");
    await t.answer("Date of birth", "1968-06-15");
    await t.prompt("Sex");
    t.keys("C-c");
    expect(await t.exitCode()).toBe(130);
    const shown = t.history();
    const path = /saved in (\S+\.json)/.exec(shown)?.[1];
    expect(path, shown).toBeDefined();
    expect(path!.startsWith(dir) || path!.startsWith(`/private${dir}`)).toBe(true);
    expect(path).toMatch(/screen-draft-\d{8}T\d{6}Z\.json$/);
    const draft = JSON.parse(readFileSync(path!, "utf8"));
    expect(draft).toEqual({ id: "SCR-CC", screenedAt: AS_OF, demographics: { birthDate: "1968-06-15" } });
    expect(statSync(path!).mode & 0o777).toBe(0o600); // patient data: owner only
  });

  it("Ctrl-C at the first prompt, with nothing entered, writes no draft and says so", async () => {
    const t = start();
    await t.prompt("Patient id");
    t.keys("C-c");
    expect(await t.exitCode()).toBe(130);
    expect(t.history()).toContain("Interrupted. Nothing was entered, so no draft was written.");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("saving a session resumed from a draft removes that draft, and says so", async () => {
    const t0 = start();
    await t0.answer("Patient id", "SCR-DR");
    await t0.answer("Date of birth", "1968-06-15");
    await t0.prompt("Sex");
    t0.keys("C-c");
    expect(await t0.exitCode()).toBe(130);
    const draft = /saved in (\S+\.json)/.exec(t0.history())![1]!;
    t0.kill();
    const first = dir;
    term = new Terminal(first, ["--save", "done.json", draft], program("--interactive"));
    const t = term;
    await t.answer("Sex", "2");
    await t.prompt("Stroke onset");
    t.keys("C-c"); // a second draft; the first is kept until a save
    expect(await t.exitCode()).toBe(130);
    const second = /saved in (\S+\.json)/.exec(t.history())![1]!;
    t.kill();
    term = new Terminal(first, [second], program("--interactive"));
    const t2 = term;
    await t2.answer("Stroke onset", "2026-11-20 14:30");
    for (;;) {
      const shown = await t2.waitFor("a question or the save", (s) => /^\? /m.test(s.split("\n").findLast((l) => l.startsWith("? ")) ?? ""));
      const asked = t2.activePrompt(shown)!;
      if (asked.startsWith("? Save the record as JSON?")) break;
      if (asked.startsWith("? The patient is ineligible")) await t2.answer("The patient is ineligible", "1");
      else await t2.answer(asked.slice(2, 20), ""); // unknown, or the default
    }
    t2.keys("Enter");
    await t2.answer("File name", "saved.json");
    await t2.exitCode();
    expect(t2.history()).toContain(`Draft ${second} removed (its record is saved).`);
    expect(existsSync(second)).toBe(false);
    expect(existsSync(draft)).toBe(true); // not the one resumed: kept
    expect(savedRecord("saved.json")).toMatchObject({ id: "SCR-DR", demographics: { sex: "male" }, stroke: { onset: "2026-11-20T14:30+08:00" } });
  });
  it("offers the lab report's ULN when the site range fails the lab, and that ULN can turn INC-08 into a pass", async () => {
    const t = start(["--save", "uln.json", fixture("alt-missing.json")]);
    await t.answer("ALT in U/L", "200"); // above 2.5 × the site's male ULN 50 = 125
    // The ULN is asked before any "ineligible, stop?": the lab report's own limit may undo the fail.
    const offered = await t.prompt("ALT upper limit of normal from this patient's lab report in U/L (blank = the site range stands)");
    expect(offered).toContain("with the site range: ALT 200 U/L exceeds 2.5 × ULN 50 = 125 U/L (site range, male)");
    expect(offered).not.toContain("The patient is ineligible");
    await t.answer("ALT upper limit of normal", "90"); // 2.5 × 90 = 225
    expect(await t.exitCode()).toBe(0);
    expect(t.history()).toContain("decided 27/27 · failed: none · unknown: none");
    expect(t.history()).not.toContain("✖ INC-08 fails");
    const record = savedRecord("uln.json");
    expect(record.labs.alt).toEqual({ value: 200, unit: "U/L", uln: 90 });
    expect(screen(record, rules, { timeZone: "UTC" }).verdict).toBe("eligible");
  });

  it("a ULN left blank keeps the site range's fail, announced once the question is answered", async () => {
    const t = start(["--save", "uln.json", fixture("alt-missing.json")]);
    await t.answer("ALT in U/L", "200");
    await t.answer("ALT upper limit of normal", "");
    expect(await t.exitCode()).toBe(1);
    const shown = t.history();
    expect(shown.indexOf("✖ INC-08 fails")).toBeGreaterThan(shown.indexOf("ALT upper limit of normal"));
    expect(savedRecord("uln.json").labs.alt).toEqual({ value: 200, unit: "U/L" });
  });

  it("no ULN question when the site range passes the lab", async () => {
    const t = start(["--save", "uln.json", fixture("alt-missing.json")]);
    await t.answer("ALT in U/L", "35");
    expect(await t.exitCode()).toBe(0);
    expect(t.history()).not.toContain("upper limit of normal from this patient's lab report");
    expect(savedRecord("uln.json").labs.alt).toEqual({ value: 35, unit: "U/L" });
  });

  it("“unknown” skips a number field, hex is refused, and the summary names what was skipped", async () => {
    const t = start(["--save", "out.json", fixture("missing-nihss-creatinine.json")]);
    await t.answer("NIHSS", "unknown");
    await t.prompt("Creatinine (");
    t.type("0x9");
    t.keys("Enter");
    await t.text('> "0x9" is not a decimal number');
    t.keys("C-u");
    await t.answer("Creatinine (", "?");
    expect(await t.exitCode()).toBe(3);
    const shown = t.history();
    expect(shown).not.toContain("You must provide a valid numeric value");
    expect(shown).toContain("Still unknown: INC-05, INC-08.");
    expect(shown).toContain("Skipped, and would decide them: NIHSS (INC-05); creatinine (INC-08).");
    expect(shown).not.toContain("nothing left to ask");
    const record = savedRecord("out.json");
    expect(record.stroke.nihss).toBeUndefined();
    expect(record.labs.creatinine).toBeUndefined();
  });

  it("resuming a +08:00 record on a UTC machine, a typed time is read at +08:00 (INC-06 stays a pass)", async () => {
    const t = start(["--save", "p8.json", fixture("onset-missing-plus8.json")], "--interactive", { tz: "UTC" });
    const first = await t.prompt("Stroke onset (YYYY-MM-DD HH:MM or YYYY-MM-DD, at +08:00");
    expect(first).toContain("Times typed without a UTC offset are read at +08:00, the screening time's offset.");
    // 24 h 30 min before the screening at 09:00 +08:00; read in UTC it would be 16 h 30 min.
    await t.answer("Stroke onset", "2026-11-23 08:30");
    await t.text("read as 2026-11-23T08:30+08:00 (the screening time's offset)");
    expect(await t.exitCode()).toBe(0);
    expect(t.history()).not.toContain("? Onset is the last-known-well time?"); // INC-06 is decided
    const record = savedRecord("p8.json");
    expect(record.stroke.onset).toBe("2026-11-23T08:30+08:00");
    expect(record.stroke.onsetIsLastKnownWell).toBeUndefined();
    const result = screen(record, rules, { timeZone: "UTC" });
    expect(result.verdict).toBe("eligible");
  });

  it("an offset typed by the user wins over the screening time's", async () => {
    const t = start(["--save", "p8.json", fixture("onset-missing-plus8.json")], "--interactive", { tz: "UTC" });
    await t.answer("Stroke onset", "2026-11-23 08:30 +00:00"); // 16 h 30 min before screening
    expect(await t.exitCode()).toBe(1); // nothing else to ask: no offer to stop
    const shown = t.history();
    expect(shown).toContain("read as 2026-11-23T08:30+00:00\n");
    expect(shown).toContain("✖ INC-06 fails");
  });

  it("the screening time defaults to now, says so, and warns (without refusing) about a future one", async () => {
    const t = start([], "--interactive", { asOf: null });
    await t.answer("Patient id", "SCR-FUT");
    const asked = await t.prompt("Screening time (YYYY-MM-DD HH:MM or now, in Asia/Shanghai, default: now, ");
    expect(t.activePrompt(asked)).toMatch(/default: now, \d{4}-\d{2}-\d{2} \d{2}:\d{2} \+08:00\)/);
    await t.answer("Screening time", "2099-01-01 09:00");
    await t.text("! The screening time 2099-01-01 09:00 +08:00 is in the future");
    await t.prompt("Date of birth");
    t.keys("C-c");
    expect(await t.exitCode()).toBe(130);
    const path = /saved in (\S+\.json)/.exec(t.history())![1]!;
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ id: "SCR-FUT", screenedAt: "2099-01-01T09:00+08:00" });
  });

  it("a resumed record with an implausible lab value keeps its valid unit and ULN for the value asked again", async () => {
    const t = start(["--save", "kept.json", fixture("creatinine-invalid-with-uln.json")]);
    await t.text("labs.creatinine dropped (its unit and upper limit of normal kept for the new value)");
    await t.answer("Creatinine (", "80");
    await t.answer("Creatinine 80: unit?", ""); // preselected: umol/L, the record's unit
    await t.text("upper limit of normal 104 umol/L kept from the record");
    expect(await t.exitCode()).toBe(0);
    expect(savedRecord("kept.json").labs.creatinine).toEqual({ value: 80, unit: "umol/L", uln: 104 });
  });

  it("a resumed record that is ineligible with nothing left to ask goes straight to the report", async () => {
    const t = start(["--save", "done.json", resolve(ROOT, "fixtures/ineligible.json")]);
    expect(await t.exitCode()).toBe(1);
    const shown = t.history();
    expect(shown).toContain("✖ INC-05 fails");
    expect(shown).not.toContain("continue — answer the remaining questions");
  });

  it("“back” undoes a mistaken answer: from the offer to stop, and typed at a question", async () => {
    const t = start([fixture("history-missing.json")]);
    await t.answer("History of epilepsy?", YES); // the mistake
    const offer = await t.prompt("The patient is ineligible (EXC-03)");
    expect(offer).toContain("back — change the last answer");
    await t.answer("The patient is ineligible", "3"); // back
    await t.answer("History of epilepsy?", NO); // asked again, the failure undone
    await t.prompt("Severe head trauma?");
    t.type("4"); // the list's "back" choice: epilepsy once more
    t.keys("Enter");
    await t.answer("History of epilepsy?", NO);
    await t.answer("Severe head trauma?", NO);
    await t.answer("Other systemic malignancy?", NO);
    await t.prompt("Save the record as JSON?");
    const shown = t.history();
    expect(shown).toContain("decided 27/27 · failed: none · unknown: none");
    expect(shown.match(/back: the previous answer is undone/g)).toHaveLength(2);
    t.keys("Enter");
    await t.answer("File name", "");
    expect(await t.exitCode()).toBe(0);
    expect(savedRecord("SCR-BACK.json").history).toMatchObject({ epilepsy: false, severeHeadTrauma: false });
  });

  it("the review before saving lists the answers; one is changed, re-asked with the same checks, and the session goes on", async () => {
    const t = start([fixture("history-missing.json")]);
    await t.answer("History of epilepsy?", YES);
    await t.answer("The patient is ineligible (EXC-03)", "1"); // stop
    await t.prompt("Save the record as JSON?");
    expect(t.history()).toContain("  History of epilepsy: yes");
    expect(t.history()).toMatch(/and \d+ answers from the record resumed/); // listed when changing, not here
    expect(t.history()).not.toContain("  Brain tumour: no");
    await t.answer("Save the record as JSON?", "2"); // change an answer first
    await t.prompt("Which answer?");
    t.type("History of epilepsy"); // the list's type-ahead
    t.keys("Enter");
    await t.answer("History of epilepsy?", NO);
    // No longer excluded: what is still open is asked, then the review again.
    await t.answer("Severe head trauma?", NO);
    await t.answer("Other systemic malignancy?", NO);
    await t.prompt("Save the record as JSON?");
    const shown = t.history();
    expect(shown.slice(shown.lastIndexOf("Review: the answers given in this session"))).toContain("  History of epilepsy: no");
    expect(shown).toContain("decided 27/27 · failed: none · unknown: none");
    await t.answer("Save the record as JSON?", "1");
    await t.answer("File name", "");
    expect(await t.exitCode()).toBe(0);
    expect(savedRecord("SCR-BACK.json").history).toMatchObject({ epilepsy: false, severeHeadTrauma: false });
  });

  it("resuming misspelt keys offers to move each value to the suggested key, and asks which to keep on a clash", async () => {
    const t = start(["--save", "fixed.json", fixture("misspelt-keys.json")]);
    await t.answer("stroke.nihs is not a field of the rules (did you mean stroke.nihss?). Move its value 12 to stroke.nihss?", "y");
    await t.prompt("history.epilepsy is true but history.epilepsey (misspelt?) is false: which value should history.epilepsy keep?");
    await t.answer("history.epilepsy is true", "2"); // the value from the misspelt key
    expect(await t.exitCode()).toBe(0);
    const record = savedRecord("fixed.json");
    expect(record.stroke.nihss).toBe(12);
    expect(record.stroke.nihs).toBeUndefined();
    expect(record.history.epilepsy).toBe(false);
    expect(record.history.epilepsey).toBeUndefined();
    expect(t.history()).not.toContain("? NIHSS");
  });

  it("a value plausible in two units has no preselected unit; a value typed with its unit needs no unit question", async () => {
    const t = start(["--save", "units.json", fixture("creatinine-bun-missing.json")]);
    await t.answer("Creatinine (", "1.1 mg/dL");
    await t.prompt("urea/BUN (");
    expect(t.history()).not.toContain("Creatinine 1.1: unit?");
    t.type("22");
    t.keys("Enter");
    await t.prompt("urea/BUN 22: unit? (plausible as mmol/L (urea) or mg/dL (BUN): type the unit, no default)");
    t.keys("Enter"); // blank is no answer here
    await t.text("> 22 is plausible in more than one unit: type mmol/L or mg/dL");
    await t.answer("urea/BUN 22: unit?", "BUN");
    expect(await t.exitCode()).toBe(0);
    const record = savedRecord("units.json");
    expect(record.labs.creatinine).toEqual({ value: 1.1, unit: "mg/dL" });
    expect(record.labs.bun).toEqual({ value: 22, unit: "mg/dL" });
  });

  it("an integer question refuses decimals, saying a whole number is needed", async () => {
    const t = start(["--save", "out.json", fixture("missing-nihss-creatinine.json")]);
    await t.prompt("NIHSS (a whole number 0–42");
    t.type("9.5");
    t.keys("Enter");
    await t.text("> a whole number is needed here (no decimals), got 9.5");
    t.keys("C-u");
    await t.answer("NIHSS", "9");
    await t.answer("Creatinine (", "80 umol/L");
    expect(await t.exitCode()).toBe(0);
    expect(savedRecord("out.json").stroke.nihss).toBe(9);
  });

  it("--save into a directory that does not exist is refused at the start (exit 2)", async () => {
    const t = start(["--save", "no-such-dir/out.json"]);
    expect(await t.exitCode()).toBe(2);
    const shown = t.history();
    expect(shown).toMatch(/cannot save to no-such-dir\/out\.json: the directory \S*no-such-dir does not exist/);
    expect(shown).not.toContain("? Patient id");
  });
});
