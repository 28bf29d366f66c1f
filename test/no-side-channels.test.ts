/**
 * No side channels: a batch run opens no network connection, starts no process, and writes
 * nothing but standard output, standard error and the files the user named (--output).
 *
 * The CLI runs under a preload (`node --import <preload.mjs> bin/screen.js ...`) that replaces the
 * network, DNS, child-process and file-writing entry points with traps. A trap reports on fd 2
 * ("SIDE CHANNEL: ...", with the original writeSync) and then throws, so even a caller that swallows
 * the exception is caught. The working directory is read-only (chmod 555); HOME and TMPDIR point
 * at empty directories. Tests run as root here, and root ignores file modes, so the test also
 * checks that no file appears anywhere in those directories.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/screen.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "screen-side-"));
const cwd = join(root, "cwd"); // read-only working directory
const home = join(root, "home");
const tmp = join(root, "tmp");
const inputs = join(root, "inputs");
const allowed = join(root, "out"); // where --output may write
const preload = join(root, "preload.mjs");

/** Every path below `dir`, with size and mtime, to prove nothing was written. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      out.push(`${p} ${s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

const PRELOAD = String.raw`
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import tls from "node:tls";
import http from "node:http";
import https from "node:https";
import http2 from "node:http2";
import dns from "node:dns";
import dgram from "node:dgram";
import child from "node:child_process";
import worker from "node:worker_threads";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";

const writeSync = fs.writeSync.bind(fs);
const allowed = process.env.SIDE_ALLOWED_DIR ? resolve(process.env.SIDE_ALLOWED_DIR) + "/" : null;
const trap = (what) => () => {
  writeSync(2, "SIDE CHANNEL: " + what + "\n");
  throw new Error("side channel blocked: " + what);
};
const inAllowed = (p) => allowed !== null && typeof p === "string" && resolve(p).startsWith(allowed);
const O_WRITE = fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_TRUNC;
const writes = (flags) => (typeof flags === "number" ? (flags & O_WRITE) !== 0 : typeof flags === "string" && /[wa+]/.test(flags));
const guard = (obj, name, what, check) => {
  const original = obj[name];
  if (typeof original !== "function") return;
  obj[name] = function (...args) {
    if (!check || check(...args)) trap(what + " " + String(args[0]))();
    return original.apply(this, args);
  };
};

// network and name lookups
for (const [mod, names, label] of [
  [net, ["connect", "createConnection", "createServer"], "net"],
  [tls, ["connect", "createServer"], "tls"],
  [http, ["request", "get", "createServer"], "http"],
  [https, ["request", "get", "createServer"], "https"],
  [http2, ["connect", "createServer", "createSecureServer"], "http2"],
  [dns, ["lookup", "resolve", "resolve4", "resolve6", "resolveAny", "reverse"], "dns"],
  [dns.promises, ["lookup", "resolve", "resolve4", "resolve6", "resolveAny", "reverse"], "dns.promises"],
  [dgram, ["createSocket"], "dgram"],
  [child, ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"], "child_process"],
]) for (const n of names) guard(mod, n, label + "." + n);
guard(net.Socket.prototype, "connect", "net.Socket.connect");
// Worker threads only for --jobs (SIDE_ALLOW_WORKERS=1), and only the bundle's own screening
// worker (which imports the screening path alone: no reader, no sink). A preload does not run in
// worker threads, so these traps watch the main thread; the worker's file is fixed.
const OriginalWorker = worker.Worker;
worker.Worker = class extends OriginalWorker {
  constructor(file, options) {
    const name = String(file instanceof URL ? file.pathname : file);
    if (process.env.SIDE_ALLOW_WORKERS !== "1" || !name.endsWith("/dist/bundle/screen-worker.js")) trap("worker_threads.Worker " + name)();
    super(file, options);
  }
};
globalThis.fetch = trap("fetch");
globalThis.WebSocket = class { constructor() { trap("WebSocket")(); } };

// file writes: only under SIDE_ALLOWED_DIR (the --output the user named)
const notAllowed = (p) => !inAllowed(p);
guard(fs, "openSync", "fs.openSync (write)", (p, flags) => writes(flags) && notAllowed(p));
guard(fs, "open", "fs.open (write)", (p, flags) => writes(flags) && notAllowed(p));
guard(fsp, "open", "fs.promises.open (write)", (p, flags) => writes(flags) && notAllowed(p));
guard(fs, "createWriteStream", "fs.createWriteStream", (p, o) => notAllowed(p) && !(o && typeof o === "object" && typeof o.fd === "number"));
for (const n of ["writeFile", "writeFileSync", "appendFile", "appendFileSync", "mkdir", "mkdirSync", "mkdtemp", "mkdtempSync", "copyFile", "copyFileSync", "cp", "cpSync", "symlink", "symlinkSync", "link", "linkSync", "truncate", "truncateSync", "utimes", "utimesSync", "chmod", "chmodSync", "chown", "chownSync"]) {
  guard(fs, n, "fs." + n, (p) => notAllowed(p));
}
for (const n of ["rename", "renameSync"]) guard(fs, n, "fs." + n, (a, b) => notAllowed(a) || notAllowed(b));
for (const n of ["rm", "rmSync", "unlink", "unlinkSync", "rmdir", "rmdirSync"]) guard(fs, n, "fs." + n, (p) => notAllowed(p));
for (const n of ["writeFile", "appendFile", "mkdir", "mkdtemp", "copyFile", "cp", "symlink", "link", "truncate", "rm", "unlink", "rmdir", "utimes", "chmod"]) {
  guard(fsp, n, "fs.promises." + n, (p) => notAllowed(p));
}
guard(fsp, "rename", "fs.promises.rename", (a, b) => notAllowed(a) || notAllowed(b));
syncBuiltinESMExports();
`;

const GOOD = {
  id: "G",
  screenedAt: "2026-11-24T09:00:00+08:00",
  demographics: { birthDate: "1965-06-15", sex: "male" },
  stroke: { onset: "2026-11-20T14:30:00+08:00", anteriorCirculationOcclusion: true, occlusionImaging: "CTA", preStrokeMrs: 0, aspects: 8, nihss: 9, thrombolysis: false, endovascularTreatment: false },
};

beforeAll(() => {
  for (const d of [cwd, home, tmp, inputs, allowed]) mkdirSync(d, { recursive: true });
  writeFileSync(preload, PRELOAD);
  const lines = Array.from({ length: 200 }, (_, i) =>
    i % 50 === 7 ? '{"id":"broken",' : JSON.stringify({ ...GOOD, id: `P${i}`, stroke: { ...GOOD.stroke, nihss: i % 12 } }),
  );
  writeFileSync(join(inputs, "batch.ndjson"), lines.join("\n") + "\n");
  writeFileSync(join(inputs, "one.json"), JSON.stringify(GOOD));
  chmodSync(cwd, 0o555);
});
afterAll(() => {
  chmodSync(cwd, 0o755);
  rmSync(root, { recursive: true, force: true });
});

function run(args: string[], input?: string, env: Record<string, string> = {}) {
  const before = [cwd, home, tmp, inputs].flatMap(snapshot);
  const p = spawnSync(process.execPath, ["--import", preload, BIN, ...args], {
    cwd,
    input: input ?? "",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? "", HOME: home, TMPDIR: tmp, TMP: tmp, TEMP: tmp, NO_COLOR: "1", ...env },
  });
  const after = [cwd, home, tmp, inputs].flatMap(snapshot);
  return { code: p.status, stdout: p.stdout, stderr: p.stderr, unchanged: JSON.stringify(after) === JSON.stringify(before) };
}

describe("the traps work (else the tests below prove nothing)", () => {
  const probe = (code: string) =>
    spawnSync(process.execPath, ["--import", preload, "--input-type=module", "-e", code], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: home, TMPDIR: tmp } });

  it.each([
    ["fetch", 'await fetch("http://127.0.0.1:9/").catch(() => {});'],
    ["net.connect", 'import net from "node:net"; try { net.connect(9, "127.0.0.1"); } catch {}'],
    ["named import of createConnection", 'import { createConnection } from "node:net"; try { createConnection(9); } catch {}'],
    ["net.Socket", 'import net from "node:net"; try { new net.Socket().connect(9); } catch {}'],
    ["http.request", 'import http from "node:http"; try { http.request("http://127.0.0.1:9/"); } catch {}'],
    ["https.request", 'import { request } from "node:https"; try { request("https://127.0.0.1:9/"); } catch {}'],
    ["dns.lookup", 'import dns from "node:dns"; try { dns.lookup("example.org", () => {}); } catch {}'],
    ["dns.promises.lookup", 'import { promises } from "node:dns"; try { await promises.lookup("example.org"); } catch {}'],
    ["child_process.spawn", 'import { spawn } from "node:child_process"; try { spawn("true"); } catch {}'],
    ["fs.writeFileSync", `import fs from "node:fs"; try { fs.writeFileSync(${JSON.stringify(join(tmp, "x"))}, "x"); } catch {}`],
    ["fs.createWriteStream", `import { createWriteStream } from "node:fs"; try { createWriteStream(${JSON.stringify(join(tmp, "y"))}); } catch {}`],
    ["fs.promises.writeFile", `import { writeFile } from "node:fs/promises"; try { await writeFile(${JSON.stringify(join(tmp, "z"))}, "z"); } catch {}`],
    ["fs.openSync for writing", `import { openSync } from "node:fs"; try { openSync(${JSON.stringify(join(tmp, "w"))}, "wx"); } catch {}`],
  ])("%s is trapped", (_name, code) => {
    const p = probe(code);
    expect(p.stderr).toMatch(/SIDE CHANNEL: /);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("reading files is not trapped", () => {
    const p = probe(`import fs from "node:fs"; fs.readFileSync(${JSON.stringify(join(inputs, "one.json"))}); fs.createReadStream(${JSON.stringify(join(inputs, "one.json"))}).resume();`);
    expect(p.stderr).toBe("");
  });
});

describe("a batch run has no side channel", () => {
  it.each(["ndjson", "json", "csv", "text"])("%s: a 200-record file in a read-only working directory", (format) => {
    const r = run([join(inputs, "batch.ndjson"), "--format", format, "--summary", "--as-of", "2026-11-24T09:00:00+08:00"]);
    expect(r.stderr).not.toMatch(/SIDE CHANNEL|internal error|\n\s+at /);
    expect(r.code).toBe(2); // four broken lines
    expect(r.stdout.length).toBeGreaterThan(1000);
    if (format === "ndjson") expect(r.stdout.trimEnd().split("\n")).toHaveLength(200);
    expect(r.unchanged).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("--jobs 2: only the bundle's own screening worker starts; the same output, nothing else written", () => {
    const args = [join(inputs, "batch.ndjson"), "--format", "ndjson", "--summary", "--as-of", "2026-11-24T09:00:00+08:00"];
    const one = run(args);
    const jobs = run([...args, "--jobs", "2"], undefined, { SIDE_ALLOW_WORKERS: "1" });
    expect(jobs.stderr).not.toMatch(/SIDE CHANNEL|internal error|\n\s+at /);
    expect(jobs.code).toBe(2);
    expect(jobs.stdout).toBe(one.stdout);
    expect(jobs.stderr).toBe(one.stderr);
    expect(jobs.unchanged).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
    // Without leave, a worker is a side channel like any other: --jobs 2 is caught.
    const refused = run([...args, "--jobs", "2"]);
    expect(refused.stderr).toMatch(/SIDE CHANNEL: worker_threads\.Worker/);
  });

  it("standard input, several files, no screenedAt (screened as of now, with a warning)", () => {
    const noTime = JSON.stringify({ ...GOOD, screenedAt: undefined });
    const r = run(["-", join(inputs, "one.json"), join(inputs, "batch.ndjson"), "--format", "ndjson"], noTime + "\n" + noTime + "\n");
    expect(r.stderr).not.toMatch(/SIDE CHANNEL|internal error/);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(203);
    expect(r.unchanged).toBe(true);
  });

  it("criteria listing and --help", () => {
    for (const args of [["criteria"], ["--help"], ["--version"]]) {
      const r = run(args);
      expect(r.stderr).not.toMatch(/SIDE CHANNEL/);
      expect(r.code).toBe(0);
      expect(r.unchanged).toBe(true);
    }
  });

  it("the traps reach the CLI itself: --output where the preload forbids writing is caught", () => {
    const r = run([join(inputs, "one.json"), "--format", "csv", "--output", join(tmp, "log.csv")]);
    expect(r.stderr).toMatch(/SIDE CHANNEL: fs\.openSync/);
    expect(r.code).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("--output writes the named file and nothing else (its temporary file is gone)", () => {
    const out = join(allowed, "log.csv");
    const r = run([join(inputs, "batch.ndjson"), "--format", "csv", "--output", out], undefined, { SIDE_ALLOWED_DIR: allowed });
    expect(r.stderr).not.toMatch(/SIDE CHANNEL|internal error/);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(readdirSync(allowed)).toEqual(["log.csv"]);
    expect(r.unchanged).toBe(true);
  });
});
