/** How a field's expected value is put into words for error messages. */
import type { FieldDecl } from "../rules/schema.js";

export function expectation(decl: FieldDecl): string {
  const orNull = decl.nullable ? ` or null (${decl.nullMeans})` : "";
  switch (decl.type) {
    case "string":
      return `a string${orNull}`;
    case "boolean":
      return `true or false${orNull}`;
    case "integer":
      return `an integer from ${decl.min} to ${decl.max}${orNull}`;
    case "enum":
      return `one of ${decl.values.map((v) => JSON.stringify(v)).join(", ")}${orNull}`;
    case "timestamp":
      return `an ISO 8601 timestamp with a UTC offset, e.g. 2026-11-24T09:00:00+08:00${decl.allowDate ? ", or a date YYYY-MM-DD" : ""}${orNull}`;
    case "date":
      return `a date YYYY-MM-DD${orNull}`;
  }
}

/** A short rendering of what was actually given. */
export function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
