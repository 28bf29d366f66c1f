/** The terminal side of a session: the prompt functions, their theme, and plain output lines. */
import { Chalk, type ChalkInstance } from "chalk";
import type { confirm, input, select } from "@inquirer/prompts";

export interface Prompts {
  readonly input: typeof input;
  readonly select: typeof select;
  readonly confirm: typeof confirm;
}

export interface Ui {
  readonly prompts: Prompts;
  /** Passed to every prompt: plain text when colour is off, numbered choices always. */
  readonly theme: Record<string, unknown>;
  readonly style: ChalkInstance;
  /** Writes one line to standard output. */
  line(text?: string): void;
  /** A problem with the answer just given (shown before the question is asked again). */
  problem(text: string): void;
  /** A quiet aside: context, hints. */
  note(text: string): void;
}

const same = (text: string) => text;

const plainTheme = {
  prefix: { idle: "?", done: "✔" },
  spinner: { interval: 80, frames: ["-", "\\", "|", "/"] },
  icon: { cursor: "❯" },
  style: {
    answer: same,
    message: same,
    error: (text: string) => `> ${text}`,
    defaultAnswer: (text: string) => `(${text})`,
    help: same,
    highlight: same,
    key: (text: string) => `<${text}>`,
    disabled: (text: string) => `- ${text}`,
    description: same,
    keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${key} ${action}`).join(" • "),
  },
};

export function makeUi(prompts: Prompts, color: boolean, write: (text: string) => void): Ui {
  const style = new Chalk({ level: color ? 1 : 0 });
  const theme: Record<string, unknown> = color ? { indexMode: "number" } : { ...plainTheme, indexMode: "number" };
  return {
    prompts,
    theme,
    style,
    line: (text = "") => write(`${text}\n`),
    problem: (text) => write(`${style.red(`✖ ${text}`)}\n`),
    note: (text) => write(`${style.dim(text)}\n`),
  };
}
