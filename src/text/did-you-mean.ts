/**
 * "Did you mean …?" for a misspelt field or column name: the closest candidate by edit distance,
 * offered only when it is near enough to be a typo rather than another word. `perChars` sets the
 * tolerance: one edit allowed per that many characters of the word (at least two).
 */
export function closest(word: string, candidates: Iterable<string>, perChars: number): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / perChars));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase(), limit);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance; Infinity when the lengths alone already put it past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
