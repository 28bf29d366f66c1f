/**
 * zod's functional API (\`zod/mini\`, used for its small bundle) loads no messages of its own. The
 * rules file's and the mapping tables' problems are reported in zod's English wording; the record's
 * schema gives every message itself, so a single-record run never loads this.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());
