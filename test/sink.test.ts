/**
 * The stream sink encodes text to UTF-8 itself, into shared slabs (src/batch/sink.ts): the bytes
 * must be exactly what the stream would have made of the strings, write after write, across slab
 * boundaries, and a write's bytes must not change after later writes (a stream may hold on to them).
 */
import { Writable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { streamSink } from "../src/batch/sink.js";

function collector() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk); // kept, not copied: a later write must not overwrite these bytes
      done();
    },
  });
  return { stream, chunks };
}

describe("stream sink", () => {
  it("writes each text's exact UTF-8 bytes, across many slabs, and earlier bytes stay as written", async () => {
    const { stream, chunks } = collector();
    const sink = streamSink(stream);
    const texts: string[] = [];
    const words = ["plain ascii", "× U+00D7", "18–70 ≥ ≈", "emoji 😀 pair", "lone \ud800 surrogate", "\udc00 trailing", "é", ""];
    for (let i = 0; i < 3000; i++) texts.push(words[i % words.length]!.repeat(1 + (i % 97)) + `#${i}\n`);
    texts.push("big ".repeat(100_000) + "–"); // larger than a slab's share: a buffer of its own
    for (const t of texts) await sink.write(t);
    const expected = texts.map((t) => Buffer.from(t, "utf8"));
    expect(chunks).toHaveLength(expected.length);
    chunks.forEach((c, i) => expect(c.equals(expected[i]!)).toBe(true));
  });

  it("equals the stream's own encoding on arbitrary strings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: "binary", maxLength: 300 }), { maxLength: 20 }), async (texts) => {
        const { stream, chunks } = collector();
        const sink = streamSink(stream);
        for (const t of texts) await sink.write(t);
        expect(Buffer.concat(chunks).equals(Buffer.from(texts.join(""), "utf8"))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("passes bytes through untouched", async () => {
    const { stream, chunks } = collector();
    const bytes = new Uint8Array([0xff, 0x00, 0x41]);
    await streamSink(stream).write(bytes);
    expect(chunks).toHaveLength(1);
    expect([...chunks[0]!]).toEqual([0xff, 0x00, 0x41]);
  });
});
