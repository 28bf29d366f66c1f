/**
 * The package's version, for `--version`. The bundles (dist/bundle for npm and npx, the single
 * executable) have it written in at build time (esbuild `define`, scripts/bundle.mjs and
 * scripts/package.mjs), because the executable has no package.json beside it and an installed
 * package should not depend on where its package.json lies. Unbundled runs (tests from src/,
 * dist/ compiled by tsc) read the package.json two folders up.
 */
import { readFileSync } from "node:fs";

declare const __SCREEN_VERSION__: string | undefined;

export function version(): string {
  if (typeof __SCREEN_VERSION__ === "string") return __SCREEN_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
