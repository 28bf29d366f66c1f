/** A live "records done, rate" line on a terminal's stderr, for long batches only. */
import type { Writable } from "node:stream";

const SHOW_AFTER = 2000;
const EVERY_MS = 250;

export function progressMeter(stream: Writable, enabled: boolean, clock: () => number) {
  const started = clock();
  let last = 0;
  let shown = false;
  return {
    tick(count: number) {
      if (!enabled || count < SHOW_AFTER) return;
      const now = clock();
      if (now - last < EVERY_MS) return;
      last = now;
      shown = true;
      const rate = Math.round(count / Math.max((now - started) / 1000, 0.001));
      stream.write(`\r\x1b[2Kscreened ${count} records · ${rate}/s`);
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
