/**
 * Runs the command the way a user or a script does. `screen()` runs `main(argv, io)` in-process
 * with buffers for the streams (fast, and the same code path as bin/); `screenProcess()` runs the
 * BUILT command (`node bin/screen.js …`) as a subprocess, for what needs a real process (file
 * permissions as another user, pipes, signals). `npm test` builds dist/ first; these never build.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { main, type CliIo } from "../../src/cli/main.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = join(ROOT, "bin", "screen.js");
export const RULES = join(ROOT, "rules", "NCT07232563.json");

if (!existsSync(BIN)) throw new Error(`${BIN} is missing`);

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to standard input, which is then closed. Without it stdin is an empty pipe. */
  readonly input?: string | Buffer;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Run without root's power to read any file whatever its mode (see `UNPRIVILEGED`); implies a real process. */
  readonly unprivileged?: boolean;
  /** Standard input, output and error as terminals (in-process only). */
  readonly tty?: boolean;
  /** The clock, epoch ms (in-process only): runs compared with each other must not read it a millisecond apart. */
  readonly now?: number;
}

/**
 * Root reads a file whatever its mode, so a chmod 000 file proves nothing there. As root, the
 * program is run through `setpriv` without the two capabilities that override file modes, so it
 * meets the same permission error a coordinator's account would. `null`: no way to do that here.
 */
export const UNPRIVILEGED: readonly string[] | null = (() => {
  if (process.getuid?.() !== 0) return [];
  const drop = ["--bounding-set", "-dac_override,-dac_read_search"];
  const probe = spawnSync("setpriv", [...drop, "true"], { stdio: "ignore" });
  return probe.status === 0 ? ["setpriv", ...drop] : null;
})();

/** The command line that runs the built program: `[file, ...args]`. */
export function commandLine(args: readonly string[], unprivileged = false): [string, string[]] {
  const node = [process.execPath, BIN, ...args];
  if (!unprivileged) return [node[0]!, node.slice(1)];
  if (UNPRIVILEGED === null) throw new Error("cannot drop file-mode override capabilities here");
  const all = [...UNPRIVILEGED, ...node];
  return [all[0]!, all.slice(1)];
}

/** Colour off, and no inherited variables that would change the output. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.SCREEN_DEBUG;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** A writable that keeps what it is given, and says whether it is a terminal. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** `screen ...args` in-process: `main()` with buffers for its streams, as bin/screen.js runs it. */
export async function screen(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  if (options.unprivileged) return screenProcess(args, options);
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty === true });
  stdin.end(options.input ?? "");
  const stdout = new Collector(options.tty === true);
  const stderr = new Collector(options.tty === true);
  const io: CliIo = { stdin, stdout, stderr, env: cliEnv(options.env), cwd: options.cwd ?? ROOT, now: () => options.now ?? Date.now() };
  let code: number;
  try {
    code = await main(["node", BIN, ...args], io);
  } catch (err) {
    // As bin/screen.js reports it: a message, never a stack trace.
    stderr.write(`screen: internal error: ${(err as Error)?.message ?? String(err)}\n(set SCREEN_DEBUG=1 for details)\n`);
    code = 2;
  }
  await new Promise<void>((resolveWrites) => setImmediate(resolveWrites));
  return { code, signal: null, stdout: stdout.text(), stderr: stderr.text() };
}

/** `node bin/screen.js ...args` as a real process, collecting stdout, stderr and the exit code. */
export function screenProcess(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const [file, argv] = commandLine(args, options.unprivileged);
    const child = spawn(file, argv, {
      cwd: options.cwd ?? ROOT,
      env: cliEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.stdin.on("error", () => {}); // the program may exit before reading all of it
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 15_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A shell pipeline (bash, pipefail off), for `screen … | head -1`. */
export function shell(command: string, options: { cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", ["-c", command], { cwd: options.cwd ?? ROOT, env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 15_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

export function fixture(name: string): string {
  return join(ROOT, "fixtures", name);
}

/** A fixture as a parsed record, a fresh copy each call. */
export function fixtureRecord(name: string): Record<string, any> {
  return JSON.parse(readFileSync(fixture(name), "utf8")) as Record<string, unknown>;
}

/** Records as NDJSON text (one compact object per line, trailing newline). */
export function ndjson(records: readonly unknown[]): string {
  return records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";
}

/** Parses NDJSON output strictly: every non-final line must be one JSON value. */
export function parseNdjson(text: string): any[] {
  if (text === "") return [];
  if (!text.endsWith("\n")) throw new Error(`NDJSON output does not end with a newline: ${JSON.stringify(text.slice(-80))}`);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`output line ${i + 1} is not JSON: ${line.slice(0, 120)}`);
      }
    });
}

export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A fresh directory under os.tmpdir(); `cleanup()` removes it. */
export function tempDir(prefix = "screen-test-"): { dir: string; path: (name: string) => string; write: (name: string, text: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Lines that look like a JavaScript stack trace. */
export const STACK_TRACE = /^\s+at .+[:(]/m;

/** Any ANSI escape sequence (colour). */
// eslint-disable-next-line no-control-regex
export const ANSI = /\x1b\[/;

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF records). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let any = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== "") throw new Error(`stray quote inside an unquoted field at offset ${i}`);
      quoted = true;
      any = true;
      i++;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      any = true;
      i++;
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      any = false;
      i++;
    } else {
      field += ch;
      any = true;
      i++;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (any || field !== "") {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * `n` NDJSON lines built from the eligible fixture, ids BIG-000001…, for the tests that need a
 * long input (EPIPE, atomic --output). About 1.5 kB a line.
 */
export function bigNdjson(n: number): string {
  const base = fixtureRecord("eligible.json");
  const tail = JSON.stringify({ ...base, id: undefined }).slice(1); // everything after "{"
  const parts: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = `{"id":"BIG-${String(i + 1).padStart(6, "0")}",${tail}\n`;
  return parts.join("");
}
