/**
 * Physical lines of a byte stream, decoded strictly. UTF-8 (with or without BOM) is split on
 * bytes, so a line with invalid UTF-8 is flagged instead of being silently "repaired" with U+FFFD
 * (a garbled id or value must not pass as data). UTF-16 with a BOM is decoded as such. CR before
 * LF is dropped, so CRLF files read like LF ones.
 */
import type { Readable } from "node:stream";

export interface PhysicalLine {
  readonly text: string;
  /** The line's bytes were not valid UTF-8 (its text then holds U+FFFD where they were). */
  readonly invalidUtf8: boolean;
}

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

export function decodeLine(bytes: Buffer): PhysicalLine {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  const body = bytes.subarray(0, end);
  // Pure ASCII is by far the common case and needs no validation.
  let ascii = true;
  for (let i = 0; i < body.length; i++) {
    if (body[i]! > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return { text: body.toString("latin1"), invalidUtf8: false };
  try {
    return { text: strict.decode(body), invalidUtf8: false };
  } catch {
    return { text: lenient.decode(body), invalidUtf8: true };
  }
}

export async function* physicalLines(stream: Readable | Iterable<Buffer>): AsyncGenerator<PhysicalLine> {
  // The pieces of a line not yet ended, joined once at its end: a 50 MB line costs one copy, not many.
  let pending: Buffer[] = [];
  let first = true;
  let utf16: InstanceType<typeof TextDecoder> | undefined;
  let textPending = "";
  for await (const raw of stream) {
    let chunk: Buffer = typeof raw === "string" ? Buffer.from(raw, "utf8") : (raw as Buffer);
    if (first) {
      first = false;
      if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
        utf16 = new TextDecoder(chunk[0] === 0xff ? "utf-16le" : "utf-16be");
      } else if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
      }
    }
    if (utf16) {
      const scanFrom = textPending.length; // earlier text holds no newline: do not scan it again
      textPending += utf16.decode(chunk, { stream: true });
      let start = 0;
      let nl = textPending.indexOf("\n", scanFrom);
      for (; nl >= 0; nl = textPending.indexOf("\n", start)) {
        yield { text: textPending.slice(start, nl).replace(/^\uFEFF/, "").replace(/\r$/, ""), invalidUtf8: false };
        start = nl + 1;
      }
      textPending = textPending.slice(start);
      continue;
    }
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(0x0a, start)) >= 0) {
      const piece = chunk.subarray(start, nl);
      if (pending.length) {
        pending.push(piece);
        yield decodeLine(Buffer.concat(pending));
        pending = [];
      } else {
        yield decodeLine(piece);
      }
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (utf16) {
    textPending += utf16.decode();
    if (textPending.length) yield { text: textPending.replace(/^\uFEFF/, "").replace(/\r$/, ""), invalidUtf8: false };
    return;
  }
  if (pending.length) yield decodeLine(Buffer.concat(pending));
}
