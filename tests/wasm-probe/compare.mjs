// Proves that the core compiled to wasm32 writes the same bytes as the native CLI.
//   node tests/wasm-probe/compare.mjs <wasm-bindgen nodejs module> <examples dir> <cli output dir>
// For every example config: the wasm template and policy must equal, byte for byte, the files
// the native CLI wrote to <cli output dir>/templates and /policies.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [modulePath, examples, cliOut] = process.argv.slice(2);
const probe = createRequire(import.meta.url)(resolve(modulePath));

let failures = 0;
let compared = 0;
for (const file of readdirSync(examples).filter((f) => f.endsWith(".yaml")).sort()) {
  const [first, second] = probe.generate(file, readFileSync(join(examples, file))).split("\0");
  if (first === "ERROR") {
    console.error(`${file}: the wasm probe failed: ${second}`);
    failures++;
    continue;
  }
  const stem = file.replace(/\.yaml$/, "");
  const native = {
    template: readFileSync(join(cliOut, "templates", `${stem}-template.yaml`), "utf8"),
    policy: readFileSync(join(cliOut, "policies", `${stem}-iam-policy.json`), "utf8"),
  };
  for (const [what, wasm] of [["template", first], ["policy", second]]) {
    compared++;
    if (wasm !== native[what]) {
      let i = 0;
      while (i < wasm.length && wasm[i] === native[what][i]) i++;
      console.error(`${file}: ${what} differs at character ${i}: wasm ${JSON.stringify(wasm.slice(i, i + 60))} vs native ${JSON.stringify(native[what].slice(i, i + 60))}`);
      failures++;
    }
  }
}
if (compared === 0) {
  console.error("nothing compared");
  process.exit(1);
}
console.log(`wasm32 vs native: ${compared - failures} of ${compared} files byte-identical`);
process.exit(failures === 0 ? 0 : 1);
