// Proves that the core compiled to wasm32 writes the same bytes as the native CLI.
//   node tests/wasm-probe/compare.mjs <wasm-bindgen nodejs module> <examples dir> <cli output dir>
// For every example config: the wasm template, policy documents and policy guide must equal,
// byte for byte, the files the native CLI wrote to <cli output dir>/templates and /policies.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [modulePath, examples, cliOut] = process.argv.slice(2);
const probe = createRequire(import.meta.url)(resolve(modulePath));

let failures = 0;
let compared = 0;
for (const file of readdirSync(examples).filter((f) => f.endsWith(".yaml")).sort()) {
  const [first, ...rest] = probe.generate(file, readFileSync(join(examples, file))).split("\0");
  if (first === "ERROR") {
    console.error(`${file}: the wasm probe failed: ${rest[0]}`);
    failures++;
    continue;
  }
  const stem = file.replace(/\.yaml$/, "");
  // The template, each policy document (policies/{stem}-iam-policy-{n}.json) and the guide.
  const documents = rest.slice(0, -1);
  const pairs = [
    ["template", first, join(cliOut, "templates", `${stem}-template.yaml`)],
    ...documents.map((text, i) => [`policy document ${i + 1}`, text, join(cliOut, "policies", `${stem}-iam-policy-${i + 1}.json`)]),
    ["policy guide", rest[rest.length - 1], join(cliOut, "policies", `${stem}-iam-policy.md`)],
  ];
  const written = readdirSync(join(cliOut, "policies")).filter((f) => f.startsWith(`${stem}-iam-policy-`) && f.endsWith(".json") && /^\d+\.json$/.test(f.slice(stem.length + 12)));
  if (written.length !== documents.length) {
    console.error(`${file}: the CLI wrote ${written.length} policy documents, wasm ${documents.length}`);
    failures++;
  }
  for (const [what, wasm, path] of pairs) {
    compared++;
    const native = readFileSync(path, "utf8");
    if (wasm !== native) {
      let i = 0;
      while (i < wasm.length && wasm[i] === native[i]) i++;
      console.error(`${file}: ${what} differs at character ${i}: wasm ${JSON.stringify(wasm.slice(i, i + 60))} vs native ${JSON.stringify(native.slice(i, i + 60))}`);
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
