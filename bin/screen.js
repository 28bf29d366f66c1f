#!/usr/bin/env node
// The `screen` executable. The code is compiled from src/ into dist/ by `npm run build`,
// which `npm ci` runs through the prepare script.
import "../dist/bundle/run.js";
