/**
 * Many tests here are long and synchronous (10k-run property checks, spawnSync of the CLI). Run
 * back to back, they starve the test worker's event loop, and vitest's own progress messages to
 * the main process time out after 60 s ("Timeout calling onTaskUpdate") on a loaded machine,
 * failing a run whose tests all passed. A macrotask turn after each test lets those through.
 */
import { afterEach } from "vitest";

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
