// The page-weight budget: what a learner page makes a phone download in wasm and JavaScript,
// brotli-compressed, must stay within 150 KB. Reads the release build in target/site/pkg.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const BUDGET = 150 * 1024;
const dir = new URL('../target/site/pkg/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'));
if (files.length === 0) {
  console.error(`no wasm or JS in ${dir}: build with cargo leptos build --release first`);
  process.exit(1);
}
let raw = 0;
let brotli = 0;
for (const f of files) {
  const bytes = readFileSync(join(dir, f));
  const compressed = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
  raw += bytes.length;
  brotli += compressed;
  console.log(`${f}: ${(bytes.length / 1024).toFixed(1)} KB raw, ${(compressed / 1024).toFixed(1)} KB brotli`);
}
console.log(`total: ${(raw / 1024).toFixed(1)} KB raw, ${(brotli / 1024).toFixed(1)} KB brotli (budget ${BUDGET / 1024} KB)`);
if (brotli > BUDGET) {
  console.error('over budget');
  process.exit(1);
}
