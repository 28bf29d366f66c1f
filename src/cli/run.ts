/** Process entry: runs the CLI and turns anything unexpected into a message, never a stack trace. */
import { main } from "./main.js";

// A reader that went away (`screen … | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  });
}

main(process.argv)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    const detail = process.env.SCREEN_DEBUG ? `\n${(err as Error)?.stack ?? String(err)}` : "";
    process.stderr.write(`screen: internal error: ${(err as Error)?.message ?? String(err)}${detail}\n(set SCREEN_DEBUG=1 for details)\n`);
    process.exitCode = 2;
  });
