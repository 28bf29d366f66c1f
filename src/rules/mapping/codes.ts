/**
 * Code matching for the mapping tables: a code set per system alias, compiled against the
 * declared systems' URIs and match style (exact, prefix for ATC, icd for ICD-10 variants).
 */

/** One FHIR Coding, as far as the matchers care. */
export interface Coding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

/** A compiled code set: true when a coding matches. */
export type CodeMatcher = (coding: Coding) => boolean;

export type MatchStyle = "exact" | "prefix" | "icd";

export interface SystemInfo {
  readonly alias: string;
  readonly match: MatchStyle;
  readonly label: string;
}

const icdKey = (code: string) => code.replace(/\./g, "").trim().toUpperCase();

function icdMatches(list: readonly string[], code: string): boolean {
  const k = icdKey(code);
  return list.some((c) => {
    const range = /^([A-Z]\d\d)-([A-Z]\d\d)$/i.exec(c.trim());
    if (range) {
      const cat = k.slice(0, 3);
      return cat >= range[1]!.toUpperCase() && cat <= range[2]!.toUpperCase();
    }
    return k.startsWith(icdKey(c));
  });
}

export function compileMatcher(codes: Record<string, string[]>, systemOf: ReadonlyMap<string, SystemInfo>): CodeMatcher {
  const byAlias = new Map<string, string[]>(Object.entries(codes));
  return (coding) => {
    if (coding.system === undefined || coding.code === undefined) return false;
    const sys = systemOf.get(coding.system);
    if (!sys) return false;
    const list = byAlias.get(sys.alias);
    if (!list) return false;
    const code = coding.code.trim();
    switch (sys.match) {
      case "exact":
        return list.includes(code);
      case "prefix":
        return list.some((c) => code.toUpperCase().startsWith(c.toUpperCase()));
      case "icd":
        return icdMatches(list, code);
    }
  };
}

/** True when the coding names exactly one of the listed codes (not a subcode, not a range): used for refutations. */
export function exactlyListed(codes: Record<string, string[]>, coding: Coding, systems: Record<string, { uri: string[]; match: MatchStyle }>): boolean {
  if (coding.system === undefined || coding.code === undefined) return false;
  for (const [alias, list] of Object.entries(codes)) {
    const sys = systems[alias];
    if (!sys || !sys.uri.includes(coding.system)) continue;
    const norm = sys.match === "icd" ? icdKey : (s: string) => s.trim().toUpperCase();
    if (list.some((c) => norm(c) === norm(coding.code!))) return true;
  }
  return false;
}
