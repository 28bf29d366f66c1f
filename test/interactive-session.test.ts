/**
 * The bedside session's pieces in-process, with scripted prompts: repairs of a resumed record
 * (misspelt keys), the review list, and the files written (0600, drafts removed once saved).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDraftFileName, writeDraft, writeRecord } from "../src/interactive/draft.js";
import type { JsonRecord } from "../src/text/paths.js";
import { fixMisspeltKeys, type Repair } from "../src/interactive/resume.js";
import { reviewItems } from "../src/interactive/review.js";
import { runInteractive } from "../src/interactive/run.js";
import { saveGiven } from "../src/interactive/save.js";
import { makeUi, type Prompts } from "../src/interactive/ui.js";
import { loadRules } from "../src/rules/load.js";
import { screen } from "../src/screen.js";

const rules = loadRules();
const eligible = (): JsonRecord => JSON.parse(readFileSync(new URL("../fixtures/eligible.json", import.meta.url), "utf8"));

/** A Ui whose prompts answer from a script and record what they were asked. */
function scripted(answers: unknown[]) {
  const asked: string[] = [];
  const out: string[] = [];
  const next = (config: { message: string }) => {
    asked.push(config.message);
    if (!answers.length) throw new Error(`unexpected prompt: ${config.message}`);
    return Promise.resolve(answers.shift());
  };
  const prompts = { input: next, select: next, confirm: next } as unknown as Prompts;
  const ui = makeUi(prompts, false, (text) => void out.push(text));
  return { ui, asked, out };
}

function repairOf(record: JsonRecord, answers: unknown[]) {
  const { ui, asked, out } = scripted(answers);
  const repair: Repair = { rules, ui, stderr: process.stderr, screen: (r) => screen(r, rules, { timeZone: "UTC" }), kept: new Map(), record };
  return { repair, asked, out };
}

describe("misspelt keys of a resumed record", () => {
  it("moves a value to the suggested key when it is free and the user agrees", async () => {
    const record = eligible();
    const stroke = record.stroke as JsonRecord;
    stroke.nihs = stroke.nihss;
    delete stroke.nihss;
    const { repair, asked } = repairOf(record, [true]);
    expect(await fixMisspeltKeys(repair)).toBe(true);
    expect(asked).toEqual(["stroke.nihs is not a field of the rules (did you mean stroke.nihss?). Move its value 9 to stroke.nihss?"]);
    expect((repair.record.stroke as JsonRecord).nihss).toBe(9);
    expect((repair.record.stroke as JsonRecord).nihs).toBeUndefined();
    expect(screen(repair.record, rules, { timeZone: "UTC" }).warnings).toEqual([]);
  });

  it("leaves the key as it is when the user declines", async () => {
    const record = eligible();
    (record.stroke as JsonRecord).nihs = 12;
    delete (record.stroke as JsonRecord).nihss;
    const { repair } = repairOf(record, [false]);
    expect(await fixMisspeltKeys(repair)).toBe(false);
    expect((repair.record.stroke as JsonRecord).nihs).toBe(12);
  });

  it("drops the misspelt key without asking when the suggested key holds the same value", async () => {
    const record = eligible();
    (record.history as JsonRecord).epilepsey = false; // epilepsy is false too
    const { repair, asked, out } = repairOf(record, []);
    expect(await fixMisspeltKeys(repair)).toBe(true);
    expect(asked).toEqual([]);
    expect((repair.record.history as JsonRecord).epilepsey).toBeUndefined();
    expect(out.join("")).toContain("history.epilepsey removed: history.epilepsy holds the same value false");
  });

  it("asks which value to keep when the suggested key holds another, and keeps the chosen one only", async () => {
    for (const [choice, kept] of [["moved", false], ["there", true]] as const) {
      const record = eligible();
      (record.history as JsonRecord).epilepsy = true;
      (record.history as JsonRecord).epilepsey = false;
      const { repair, asked } = repairOf(record, [choice]);
      await fixMisspeltKeys(repair);
      expect(asked).toEqual(["history.epilepsy is true but history.epilepsey (misspelt?) is false: which value should history.epilepsy keep?"]);
      expect(repair.record.history).toMatchObject({ epilepsy: kept });
      expect((repair.record.history as JsonRecord).epilepsey).toBeUndefined();
    }
  });

  it("a misspelt group beside the real one is merged key by key", async () => {
    const record = eligible();
    record.histroy = { epilepsy: false, brainTumor: true };
    const { repair, asked } = repairOf(record, ["moved"]);
    await fixMisspeltKeys(repair);
    expect(asked).toHaveLength(1); // epilepsy agrees; only the brain tumour clashes
    expect(repair.record.histroy).toBeUndefined();
    expect(repair.record.history).toMatchObject({ epilepsy: false, brainTumor: true });
  });
});

describe("the review list", () => {
  it("lists the record's answers and the skipped questions in asking order, as the questions offered them", () => {
    const record = eligible();
    delete (record.stroke as JsonRecord).nihss;
    delete (record.history as JsonRecord).brainTumor; // absent and not asked: not listed
    const items = reviewItems(rules, record, new Set(["stroke.nihss"]));
    const at = (path: string) => items.find((i) => i.path === path);
    expect(items[0]).toEqual({ path: "id", label: "Patient id", shown: "SCR-0001" });
    expect(at("stroke.nihss")?.shown).toBe("unknown");
    expect(at("history.epilepsy")).toEqual({ path: "history.epilepsy", label: "History of epilepsy", shown: "no" });
    expect(at("medications.lastHeparinDose")?.shown).toBe("none");
    expect(at("labs.creatinine")?.shown).toBe("80 umol/L");
    expect(at("labs.creatinine.uln")?.shown).toBe("104");
    const paths = items.map((i) => i.path);
    expect(paths.indexOf("stroke.nihss")).toBeLessThan(paths.indexOf("labs.alt"));
    expect(paths).not.toContain("history.brainTumor");
  });
});

describe("files that hold patient data", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "screen-files-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const mode = (path: string) => statSync(path).mode & 0o777;

  it("a draft is created 0600 and never overwrites another", () => {
    const ms = Date.UTC(2026, 10, 24, 1, 0, 0);
    const first = writeDraft({ id: "A" }, dir, ms);
    const second = writeDraft({ id: "B" }, dir, ms);
    expect(first).not.toBe(second);
    expect(mode(first)).toBe(0o600);
    expect(JSON.parse(readFileSync(first, "utf8"))).toEqual({ id: "A" });
    expect(isDraftFileName(first) && isDraftFileName(second)).toBe(true);
    expect(isDraftFileName("SCR-1.json")).toBe(false);
  });

  it("a saved record is 0600, also when it replaces a wider file, and through a symlink the target is replaced", () => {
    const path = join(dir, "r.json");
    writeFileSync(path, "old");
    chmodSync(path, 0o644);
    writeRecord(path, { id: "X" });
    expect(mode(path)).toBe(0o600);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ id: "X" });
    const link = join(dir, "link.json");
    symlinkSync(path, link);
    writeRecord(link, { id: "Y" });
    expect(statSync(link).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ id: "Y" });
  });

  it("after a save, the draft the session wrote and the draft it resumed are removed (not the file saved to, nor a resumed non-draft)", () => {
    const ms = Date.UTC(2026, 10, 24, 1, 0, 0);
    const written = writeDraft({ id: "A" }, dir, ms);
    const resumed = writeDraft({ id: "A" }, dir, ms + 1000);
    const { ui, out } = scripted([]);
    expect(saveGiven({ ui, cwd: dir, record: { id: "A" }, draftWritten: written, resumedFrom: resumed }, "A.json")).toBeUndefined();
    expect(existsSync(written) || existsSync(resumed)).toBe(false);
    expect(out.join("")).toContain(`Draft ${resumed} removed (its record is saved).`);
    expect(mode(join(dir, "A.json"))).toBe(0o600);

    const again = writeDraft({ id: "B" }, dir, ms);
    saveGiven({ ui, cwd: dir, record: { id: "B" }, resumedFrom: again }, again); // saved onto the draft itself
    expect(existsSync(again)).toBe(true);
    const plain = join(dir, "plain.json");
    writeFileSync(plain, "{}");
    saveGiven({ ui, cwd: dir, record: { id: "C" }, resumedFrom: plain }, "C.json");
    expect(existsSync(plain)).toBe(true);
  });
});

/**
 * A whole session in-process: each prompt must start with the next scripted message, and gets its
 * answer (a select: the choice whose short name is given; an input: the typed text, checked by the
 * prompt's own validation, blank taking the default; a confirm: "y" or "n"). `cancelAt`: Ctrl-C at
 * that prompt once the script is used up.
 */
describe("a scripted session", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "screen-session-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const fixture = (name: string): JsonRecord => JSON.parse(readFileSync(new URL(`./fixtures/interactive/${name}`, import.meta.url), "utf8"));

  interface Choice {
    name: string;
    short?: string;
    value: unknown;
  }
  interface Config {
    message: string;
    choices?: Choice[];
    default?: unknown;
    validate?: (text: string) => unknown;
  }

  async function session(script: [string, string][], extra: { partial?: JsonRecord; savePath?: string; cancelAt?: string } = {}) {
    const steps = [...script];
    const take = (message: string): string => {
      if (extra.cancelAt !== undefined && !steps.length && message.startsWith(extra.cancelAt)) throw Object.assign(new Error("cancelled"), { name: "ExitPromptError" });
      const step = steps.shift();
      if (!step) throw new Error(`nothing scripted for "${message}"`);
      if (!message.startsWith(step[0])) throw new Error(`asked "${message}", the script expected "${step[0]}"`);
      return step[1];
    };
    const prompts = {
      input: async (config: Config) => {
        const typed = take(config.message);
        const text = typed === "" && typeof config.default === "string" ? config.default : typed;
        const verdict = await config.validate?.(text);
        if (verdict !== undefined && verdict !== true) throw new Error(`"${text}" refused at "${config.message}": ${JSON.stringify(verdict)}`);
        return text;
      },
      select: (config: Config) => {
        const want = take(config.message);
        const choice = config.choices?.find((c) => c.short === want);
        if (!choice) throw new Error(`no choice "${want}" at "${config.message}"`);
        return Promise.resolve(choice.value);
      },
      confirm: (config: Config) => Promise.resolve(take(config.message) === "y"),
    } as unknown as Prompts;
    let out = "";
    let err = "";
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on("data", (d: Buffer) => (out += d.toString()));
    stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await runInteractive({
      rules,
      ...(extra.partial ? { partial: extra.partial } : {}),
      ...(extra.savePath !== undefined ? { savePath: extra.savePath } : {}),
      asOf: "2026-11-24T09:00:00+08:00",
      timeZone: "Asia/Shanghai",
      now: () => Date.UTC(2026, 10, 24, 1, 0, 0),
      color: false,
      verbose: false,
      renderReport: (result) => `REPORT ${result.verdict}\n`,
      io: { stdin: new PassThrough(), stdout, stderr, cwd: dir },
      prompts,
    });
    expect(steps, "every scripted answer was asked for").toEqual([]);
    return { code, out, err };
  }
  const saved = (name: string) => JSON.parse(readFileSync(join(dir, name), "utf8")) as JsonRecord;

  it("back at the offer to stop undoes the failing answer; back at a question returns to the one before", async () => {
    const { code, out } = await session(
      [
        ["History of epilepsy?", "yes"],
        ["The patient is ineligible (EXC-03)", "back"],
        ["History of epilepsy?", "no"],
        ["Severe head trauma?", "back"],
        ["History of epilepsy?", "no"],
        ["Severe head trauma?", "no"],
        ["Other systemic malignancy?", "no"],
      ],
      { partial: fixture("history-missing.json"), savePath: "out.json" },
    );
    expect(code).toBe(0);
    expect(out).toContain("REPORT eligible");
    expect(out.match(/back: the previous answer is undone/g)).toHaveLength(2);
    expect(saved("out.json").history).toMatchObject({ epilepsy: false, severeHeadTrauma: false, otherMalignancy: false });
  });

  it("back at the first question of the session says there is nothing to go back to, and asks it again", async () => {
    const { code, out } = await session(
      [
        ["History of epilepsy?", "back"],
        ["History of epilepsy?", "no"],
        ["Severe head trauma?", "no"],
        ["Other systemic malignancy?", "no"],
      ],
      { partial: fixture("history-missing.json"), savePath: "out.json" },
    );
    expect(code).toBe(0);
    expect(out).toContain("nothing to go back to");
  });

  it("the review changes an answer, asks what the change opened, reports again, then saves (0600)", async () => {
    const { code, out } = await session(
      [
        ["History of epilepsy?", "yes"],
        ["The patient is ineligible (EXC-03)", "stop"],
        ["Save the record as JSON?", "change"],
        ["Which answer?", "History of epilepsy"],
        ["History of epilepsy?", "no"],
        ["Severe head trauma?", "no"],
        ["Other systemic malignancy?", "no"],
        ["Save the record as JSON?", "yes"],
        ["File name", ""],
      ],
      { partial: fixture("history-missing.json") },
    );
    expect(code).toBe(0);
    expect(out.indexOf("REPORT ineligible")).toBeLessThan(out.indexOf("REPORT eligible"));
    expect(out).toContain("Review: the answers given in this session\n  History of epilepsy: yes");
    expect(saved("SCR-BACK.json").history).toMatchObject({ epilepsy: false, severeHeadTrauma: false });
    expect(statSync(join(dir, "SCR-BACK.json")).mode & 0o777).toBe(0o600);
  });

  it("back at the file name returns to the review, not a file named back", async () => {
    const { code } = await session(
      [
        ["History of epilepsy?", "no"],
        ["Severe head trauma?", "no"],
        ["Other systemic malignancy?", "no"],
        ["Save the record as JSON?", "yes"],
        ["File name", "back"],
        ["Save the record as JSON?", "no"],
      ],
      { partial: fixture("history-missing.json") },
    );
    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a change to unknown in the review removes the value; not saving writes nothing", async () => {
    const { code, out } = await session(
      [
        ["History of epilepsy?", "no"],
        ["Severe head trauma?", "no"],
        ["Other systemic malignancy?", "no"],
        ["Save the record as JSON?", "change"],
        ["Which answer?", "Severe head trauma"],
        ["Severe head trauma?", "unknown"],
        ["Save the record as JSON?", "no"],
      ],
      { partial: fixture("history-missing.json") },
    );
    expect(out).toContain("history.severeHeadTrauma is now unknown");
    expect(out).toContain("REPORT incomplete");
    expect(code).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("Ctrl-C with nothing entered writes no draft; after an answer, a 0600 draft", async () => {
    const first = await session([], { cancelAt: "Patient id" });
    expect(first.code).toBe(130);
    expect(first.err).toContain("Nothing was entered, so no draft was written.");
    expect(readdirSync(dir)).toEqual([]);
    const second = await session([["History of epilepsy?", "no"]], { partial: fixture("history-missing.json"), cancelAt: "Severe head trauma?" });
    expect(second.code).toBe(130);
    const [draft] = readdirSync(dir);
    expect(draft).toMatch(/^screen-draft-20261124T010000Z\.json$/);
    expect(statSync(join(dir, draft!)).mode & 0o777).toBe(0o600);
    expect((saved(draft!).history as JsonRecord).epilepsy).toBe(false);
  });

  it("an answer undone by back is not entered data: Ctrl-C then writes no draft", async () => {
    const partial = fixture("history-missing.json");
    const undone = await session(
      [
        ["History of epilepsy?", "no"],
        ["Severe head trauma?", "back"],
      ],
      { partial, cancelAt: "History of epilepsy?" },
    );
    expect(undone.code).toBe(130);
    expect(undone.err).toContain("Nothing was entered, so no draft was written.");
    expect(readdirSync(dir)).toEqual([]);
  });
});
