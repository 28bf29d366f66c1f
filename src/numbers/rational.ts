/**
 * Exact rational numbers. Lab limits are compared "on the numbers as written": binary floating
 * point gets 1.25 × 1.44 wrong (1.7999999999999998), and unit factors such as 1/2.8 are not finite
 * decimals, so every comparison is made on exact fractions.
 *
 * A fraction is held as machine integers while numerator and denominator both fit exactly (every
 * lab value and limit of a real record), and as BigInt otherwise: the same exact arithmetic, but
 * without a BigInt allocation per operation on the common path. The form is canonical (lowest
 * terms, denominator > 0, small whenever both parts fit), so equal values have equal parts.
 */
export type Rational = SmallRational | BigRational;

export interface SmallRational {
  readonly small: true;
  readonly n: number; // numerator, carries the sign; a safe integer
  readonly d: number; // denominator, a safe integer > 0
}

export interface BigRational {
  readonly small: false;
  readonly n: bigint;
  readonly d: bigint;
}

function gcdNumber(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function gcdBig(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** n/d from safe integers (d ≠ 0), in canonical form. */
function makeSmall(n: number, d: number): Rational {
  if (d === 0) throw new RangeError("zero denominator");
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const g = gcdNumber(n, d) || 1;
  return { small: true, n: n / g + 0, d: d / g }; // + 0 turns -0 into 0
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

function make(n: bigint, d: bigint): Rational {
  if (d === 0n) throw new RangeError("zero denominator");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcdBig(n, d) || 1n;
  n /= g;
  d /= g;
  if (d <= MAX && n <= MAX && n >= -MAX) return { small: true, n: Number(n), d: Number(d) };
  return { small: false, n, d };
}

function big(a: Rational): { n: bigint; d: bigint } {
  return a.small ? { n: BigInt(a.n), d: BigInt(a.d) } : a;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal literal ("1.8", "-2", "1e-7"); null when it is not one. */
export function parseDecimal(text: string): Rational | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const [, sign, int = "0", frac = "", exp = "0"] = m;
  const e = Number(exp) - frac.length;
  if (!Number.isSafeInteger(e) || Math.abs(e) > 400) return null;
  const digits = int + frac;
  // Up to 15 digits and a power of ten below 10^16 are exact doubles: no BigInt needed.
  if (digits.length <= 15 && e <= 0 && e >= -15) {
    const n = Number(digits);
    return makeSmall(sign === "-" ? -n : n, 10 ** -e);
  }
  let n = BigInt(digits);
  if (sign === "-") n = -n;
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
  if (!a || !b || signOf(b) === 0) return null;
  return div(a, b);
}

/** The number as JSON wrote it: the shortest decimal that round-trips to this double. */
export function fromNumber(value: number): Rational {
  if (Number.isSafeInteger(value)) return { small: true, n: value + 0, d: 1 };
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const r = parseDecimal(String(value));
  if (!r) throw new RangeError(`cannot read number ${value}`);
  return r;
}

/** -1, 0 or 1: the sign of the value. */
export function signOf(a: Rational): -1 | 0 | 1 {
  return a.n < 0 ? -1 : a.n > 0 ? 1 : 0;
}

export function mul(a: Rational, b: Rational): Rational {
  if (a.small && b.small) {
    const n = a.n * b.n;
    const d = a.d * b.d;
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return makeSmall(n, d);
  }
  const x = big(a);
  const y = big(b);
  return make(x.n * y.n, x.d * y.d);
}

export function div(a: Rational, b: Rational): Rational {
  if (a.small && b.small) {
    const n = a.n * b.d;
    const d = a.d * b.n;
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return makeSmall(n, d);
  }
  const x = big(a);
  const y = big(b);
  return make(x.n * y.d, x.d * y.n);
}

/** -1, 0 or 1. */
export function cmp(a: Rational, b: Rational): -1 | 0 | 1 {
  if (a.small && b.small) {
    const l = a.n * b.d;
    const r = b.n * a.d;
    if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l < r ? -1 : l > r ? 1 : 0;
  }
  const x = big(a);
  const y = big(b);
  const l = x.n * y.d;
  const r = y.n * x.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Exact decimal text when the fraction terminates, else rounded to 4 places with a "≈". */
export function format(a: Rational): string {
  if (a.small && a.d === 1) return String(a.n);
  const { n, d: den } = big(a);
  let d = den;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  if (d === 1n) {
    // Terminating: scale to an integer with as few decimals as needed.
    let places = 0;
    let scale = 1n;
    while ((n * scale) % den !== 0n) {
      places++;
      scale *= 10n;
    }
    return shift((n * scale) / den, places);
  }
  const scaled = (n * 10000n * 2n + den * (n < 0n ? -1n : 1n)) / (2n * den);
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
  const { n, d } = big(a);
  const scale = 10n ** BigInt(places);
  const scaled = (n * scale * 2n + d * (n < 0n ? -1n : 1n)) / (2n * d);
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
