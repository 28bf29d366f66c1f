// `npm run build` runs this first (prebuild): tsc never deletes the output of a source file that
// was moved or removed, and whatever lies in dist/ is packed by `npm pack`, so the compiled
// output starts from nothing. dist/sea (the single executable, `npm run package`) is kept.
import { existsSync, readdirSync, rmSync } from "node:fs";

const dist = new URL("../dist/", import.meta.url);
if (existsSync(dist)) {
  for (const entry of readdirSync(dist)) if (entry !== "sea") rmSync(new URL(entry, dist), { recursive: true, force: true });
}
