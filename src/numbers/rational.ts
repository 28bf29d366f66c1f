/**
 * Exact rational numbers over BigInt. Lab limits are compared "on the numbers as written":
 * binary floating point gets 1.25 × 1.44 wrong (1.7999999999999998), and unit factors such as
 * 1/2.8 are not finite decimals, so every comparison is made on exact fractions.
 */
export interface Rational {
  readonly n: bigint; // numerator, carries the sign
  readonly d: bigint; // denominator, always > 0
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function make(n: bigint, d: bigint): Rational {
  if (d === 0n) throw new RangeError("zero denominator");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal literal ("1.8", "-2", "1e-7"); null when it is not one. */
export function parseDecimal(text: string): Rational | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const [, sign, int = "0", frac = "", exp = "0"] = m;
  let n = BigInt(int + frac);
  if (sign === "-") n = -n;
  const e = Number(exp) - frac.length;
  if (!Number.isSafeInteger(e) || Math.abs(e) > 400) return null;
  return e >= 0 ? make(n * 10n ** BigInt(e), 1n) : make(n, 10n ** BigInt(-e));
}

const constants = new Map<string, Rational | null>();

/** "2.5" or a fraction of decimals such as "1/2.8"; memoised, as rules limits recur per record. */
export function parseRational(text: string): Rational | null {
  let r = constants.get(text);
  if (r === undefined && !constants.has(text)) {
    r = parseFraction(text);
    if (constants.size < 10_000) constants.set(text, r);
  }
  return r ?? null;
}

function parseFraction(text: string): Rational | null {
  const parts = text.split("/");
  if (parts.length === 1) return parseDecimal(parts[0]!);
  if (parts.length !== 2) return null;
  const a = parseDecimal(parts[0]!);
  const b = parseDecimal(parts[1]!);
  if (!a || !b || b.n === 0n) return null;
  return div(a, b);
}

/** The number as JSON wrote it: the shortest decimal that round-trips to this double. */
export function fromNumber(value: number): Rational {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const r = parseDecimal(String(Object.is(value, -0) ? 0 : value));
  if (!r) throw new RangeError(`cannot read number ${value}`);
  return r;
}

export const ZERO: Rational = { n: 0n, d: 1n };

export function mul(a: Rational, b: Rational): Rational {
  return make(a.n * b.n, a.d * b.d);
}

export function div(a: Rational, b: Rational): Rational {
  return make(a.n * b.d, a.d * b.n);
}

/** -1, 0 or 1. */
export function cmp(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function toNumber(a: Rational): number {
  return Number(a.n) / Number(a.d);
}

/** Exact decimal text when the fraction terminates, else rounded to 4 places with a "≈". */
export function format(a: Rational): string {
  let d = a.d;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  if (d === 1n) {
    // Terminating: scale to an integer with as few decimals as needed.
    let places = 0;
    let scale = 1n;
    while ((a.n * scale) % a.d !== 0n) {
      places++;
      scale *= 10n;
    }
    return shift((a.n * scale) / a.d, places);
  }
  const scaled = (a.n * 10000n * 2n + a.d * (a.n < 0n ? -1n : 1n)) / (2n * a.d);
  return "≈" + shift(scaled, 4).replace(/\.?0+$/, "");
}

/**
 * For people: the exact decimal when it has at most `places` decimals, else "≈" and the value
 * rounded to `places` (a converted lab value, 2.79253788 mg/dL × 88.4, is compared exactly but shown
 * as ≈246.8604 umol/L, not with twenty digits).
 */
export function formatShort(a: Rational, places = 4): string {
  const exact = format(a);
  if (exact.startsWith("≈")) return exact;
  const dot = exact.indexOf(".");
  if (dot < 0 || exact.length - dot - 1 <= places) return exact;
  const scale = 10n ** BigInt(places);
  const scaled = (a.n * scale * 2n + a.d * (a.n < 0n ? -1n : 1n)) / (2n * a.d);
  return "≈" + shift(scaled, places).replace(/\.?0+$/, "");
}

function shift(int: bigint, places: number): string {
  const neg = int < 0n;
  let s = (neg ? -int : int).toString();
  if (places > 0) {
    s = s.padStart(places + 1, "0");
    s = `${s.slice(0, -places)}.${s.slice(-places)}`;
  }
  return (neg ? "-" : "") + s;
}
