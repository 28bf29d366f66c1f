#!/usr/bin/env node
// The `screen` executable: the only place that touches the process. Everything else is
// `main(argv, io)` in src/cli/main.ts, compiled and bundled into dist/ by `npm run build`
// (which `npm ci` runs through the prepare script).
import { main } from "../dist/bundle/main.js";

// A reader that went away (`screen … | head`) is not an error: the output sink notices it,
// stops the batch and the exit code speaks for what was written. Here it must only not crash.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});

/** Ctrl-C / SIGTERM: the command cleans up (partial output, a draft) and says how to exit. */
const handlers = [];
function onSignal(handler) {
  handlers.push(handler);
  return () => handlers.splice(handlers.indexOf(handler), 1);
}
// SIGHUP: the terminal was closed (a laptop lid, a dropped ssh session): save what was typed too.
const CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const signal of Object.keys(CODES)) {
  process.on(signal, () => {
    const handler = handlers[handlers.length - 1];
    process.exit(handler ? handler(signal) : CODES[signal]);
  });
}

const io = {
  // A getter: Node makes the stdin stream on first use (≈ 2.5 ms when it is /dev/null or a file),
  // and a run over named files never reads it.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => Date.now(),
  onSignal,
};

main(process.argv, io)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    const detail = process.env.SCREEN_DEBUG ? `\n${err?.stack ?? String(err)}` : "";
    process.stderr.write(`screen: internal error: ${err?.message ?? String(err)}${detail}\n(set SCREEN_DEBUG=1 for details)\n`);
    process.exitCode = 2;
  });
