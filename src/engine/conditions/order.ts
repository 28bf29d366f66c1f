import type { OrderOp } from "../../rules/schema.js";

/** Whether `value op limit` holds, given cmp(value, limit). */
export function holdsOrder(op: OrderOp, c: -1 | 0 | 1): boolean {
  switch (op) {
    case "lt":
      return c < 0;
    case "le":
      return c <= 0;
    case "gt":
      return c > 0;
    case "ge":
      return c >= 0;
  }
}
