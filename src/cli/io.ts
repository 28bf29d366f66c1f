/**
 * What the command talks to: its streams, environment, working directory and clock. `bin/`
 * passes the real process; tests pass buffers and a fixed clock, so the whole CLI runs in-process
 * (gh's IOStreams pattern). Nothing under src/ reads `process` for these.
 */
import type { Readable, Writable } from "node:stream";
import { EXIT } from "../exit-codes.js";

export type TtyReadable = Readable & { readonly isTTY?: boolean };
export type TtyWritable = Writable & { readonly isTTY?: boolean; readonly columns?: number };

export interface CliIo {
  readonly stdin: TtyReadable;
  readonly stdout: TtyWritable;
  readonly stderr: TtyWritable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative file names are resolved against this. */
  readonly cwd: string;
  /** The clock, read for "now" and for the progress line. */
  readonly now: () => number;
  /**
   * Registers what to do on Ctrl-C / SIGTERM / SIGHUP (drop a partial output file, save a draft); the
   * handler returns the exit code the process should end with. Returns an unregister function.
   * Absent in tests that send no signals.
   */
  readonly onSignal?: (handler: (signal: "SIGINT" | "SIGTERM" | "SIGHUP") => number) => () => void;
}

/** The one usage hint, as commander prints it after its own errors. */
export const USAGE_HINT = "(run 'screen --help' for usage)";

/** Bad usage found while running a command: printed as `screen: message` (+ hint), exit 2. */
export class CliFailure extends Error {
  override name = "CliFailure";
  constructor(
    message: string,
    readonly hint = USAGE_HINT,
    readonly code: number = EXIT.usage,
  ) {
    super(message);
  }
}

export function fail(message: string, hint?: string): never {
  throw new CliFailure(message, hint);
}

export function writeFailure(io: CliIo, failure: CliFailure): number {
  io.stderr.write(`screen: ${failure.message}\n${failure.hint ? `${failure.hint}\n` : ""}`);
  return failure.code;
}
