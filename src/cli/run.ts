/** Process entry: runs the CLI and turns anything unexpected into a message, never a stack trace. */
import { main } from "./main.js";

main(process.argv)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    const detail = process.env.SCREEN_DEBUG ? `\n${(err as Error)?.stack ?? String(err)}` : "";
    process.stderr.write(`screen: internal error: ${(err as Error)?.message ?? String(err)}${detail}\n(set SCREEN_DEBUG=1 for details)\n`);
    process.exitCode = 2;
  });
