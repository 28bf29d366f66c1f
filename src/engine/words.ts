/** Shared phrasing for numbers against limits, so every reason reads the same way. */
import type { OrderOp } from "../rules/schema.js";

export function orderWords(op: OrderOp, truth: boolean): string {
  switch (op) {
    case "ge":
      return truth ? "is at least" : "is below";
    case "gt":
      return truth ? "is above" : "is at most";
    case "le":
      return truth ? "is at most" : "exceeds";
    case "lt":
      return truth ? "is below" : "is at least";
  }
}

/** "80 ×10^9/L", "40 U/L", "1.2" (no unit). */
export function withUnit(value: string, unit: string | undefined): string {
  if (!unit) return value;
  return /^\d/.test(unit) ? `${value} ×${unit}` : `${value} ${unit}`;
}
