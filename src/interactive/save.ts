/**
 * Saving the record at the end of a session (0600, see draft.ts), and then removing the drafts it
 * supersedes: the one this session wrote, and the draft file it resumed (when saved elsewhere).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { isDraftFileName, removeDraft, sameFile, writeRecord } from "./draft.js";
import type { JsonRecord } from "../text/paths.js";
import { isBack } from "./typed.js";
import type { Ui } from "./ui.js";

export interface SaveContext {
  readonly ui: Ui;
  readonly cwd: string;
  readonly record: JsonRecord;
  /** The draft this session wrote, if any. */
  readonly draftWritten?: string | undefined;
  /** The file the session resumed, if any (removed after saving only when it is a draft). */
  readonly resumedFrom?: string | undefined;
}

/** --save FILE: written without asking. The error message, or undefined once saved. */
export function saveGiven(context: SaveContext, savePath: string): string | undefined {
  const full = resolve(context.cwd, savePath);
  try {
    writeRecord(full, context.record);
  } catch (err) {
    return (err as Error).message;
  }
  context.ui.line(`Record saved to ${savePath}`);
  removeSuperseded(context, full);
  return undefined;
}

/**
 * Asks for a file name (an existing file is replaced only when confirmed) until the record is
 * written: true. False for "back" (to the review).
 */
export async function saveAsked(context: SaveContext, suggested: string): Promise<boolean> {
  const { ui } = context;
  const theme = ui.theme as never;
  for (;;) {
    const file = await ui.prompts.input({
      message: "File name",
      default: suggested,
      validate: (v) => (v.trim() ? true : "a file name is needed"),
      theme,
    });
    if (isBack(file)) return false;
    const path = file.trim();
    const full = resolve(context.cwd, path);
    if (existsSync(full) && !(await ui.prompts.confirm({ message: `${path} exists. Replace it?`, default: false, theme }))) continue;
    try {
      writeRecord(full, context.record);
    } catch (err) {
      ui.problem(`cannot write ${path}: ${(err as Error).message}`);
      continue;
    }
    ui.line(`Record saved to ${path}`);
    removeSuperseded(context, full);
    return true;
  }
}

/** The saved record holds everything the drafts did: they go, and the screen says so. */
function removeSuperseded(context: SaveContext, saved: string): void {
  const drafts = [context.draftWritten, context.resumedFrom !== undefined && isDraftFileName(context.resumedFrom) ? context.resumedFrom : undefined];
  for (const draft of new Set(drafts)) {
    if (draft === undefined || sameFile(draft, saved) || !existsSync(draft)) continue;
    const problem = removeDraft(draft);
    context.ui.note(problem === undefined ? `Draft ${draft} removed (its record is saved).` : `Could not remove the draft ${draft}: ${problem}`);
  }
}

/** "SCR-0001.json": the patient id made safe as a file name. */
export function suggestedFileName(id: unknown): string {
  const safe = typeof id === "string" ? id.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "") : "";
  return `${safe || "screen-record"}.json`;
}
