// yaml-language-server (the editors' YAML checker) against the published config schema, headless
// over LSP stdio (issue 12, acceptance 4). Run by scripts/test.sh after the tests:
//
//   NODE_TOOLS=<node_modules with yaml-language-server> ML_PROVISIONER_BIN=<cli> \
//     node tests/schema/yls-check.mjs [--schema <file>]
//
// Checks, each file opened as an editor opens it:
//   1. the 20 examples (their modeline points at core/schema/…): 0 diagnostics;
//   2. the corpus cases below (tests/fixtures/bad-configs, schema by the yaml.schemas setting):
//      a diagnostic on every line an `# expect:` header names, and none on other lines;
//   3. a configs folder outside the repository, set up as docs/editor.md says
//      (`ml-provisioner -act copy-examples`): every copied example 0 diagnostics, and a copy
//      with a wrong type gets one at its line.
// --schema <file> checks against another schema file (the proof that the runner can fail: an
// emptied schema `{}` must fail the corpus and the broken copy).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argSchema = process.argv.indexOf('--schema');
const schemaFile = argSchema > 0 ? path.resolve(process.argv[argSchema + 1])
  : path.join(root, 'core/schema/ml-provisioner-config.schema.json');
const nodeTools = process.env.NODE_TOOLS;
const cli = process.env.ML_PROVISIONER_BIN;
if (!nodeTools || !cli) {
  console.error('set NODE_TOOLS (node_modules with yaml-language-server) and ML_PROVISIONER_BIN');
  process.exit(2);
}

// The corpus cases an editor's schema check can flag: the structure (JSON Schema) and the
// cross-field and tag rules the schema copies (core/tests/it/schema.rs holds the copies equal to
// core/src/rules.rs). Every other case is listed in OUT_OF_SCOPE with why.
const IN_SCOPE = [
  // structure
  'invalid-account-id', 'invalid-company-prefix', 'invalid-email', 'invalid-route-table-id',
  'invalid-s3-prefix-form', 'invalid-subnet-id', 'invalid-tenant-id', 'invalid-use-case',
  'invalid-value-env', 'invalid-value-source', 'invalid-value-tier', 'invalid-vpc-id',
  'invalid-workload', 'missing-key-section', 'missing-key-tenant', 'too-few-subnets',
  'unknown-key-nested', 'unknown-key-no-suggestion',
  'unknown-key-top', 'unknown-key-wrong-section', 'unknown-region', 'value-too-long',
  'value-too-short', 'wrong-type-section-scalar', 'wrong-type-subnets-string',
  'wrong-type-tag-number', 'wrong-type-tenant-number', 'wrong-type-tenant-zeros',
  'wrong-type-unquoted-account', 'invalid-ssm-parameter-form', 'root-list', 'root-scalar',
  // cross-field and tags
  's3-prefix-required', 's3-prefix-not-allowed', 'alerts-email-required',
  'vpc-integration-required', 'vpc-integration-not-allowed', 'vpc-direct-ids-required',
  'vpc-key-not-allowed-direct-id-with-ssm', 'vpc-key-not-allowed-sg-with-standalone',
  'reserved-tag-aws', 'reserved-tag-own', 'empty-tag-value',
];
const OUT_OF_SCOPE = {
  'invalid-tag-value': 'tag characters: the core alone checks them (a Unicode class in a schema pattern is not portable)',
  'too-many-tags': 'flagged, at the first tag (line 16); the core places it at the tags key (15)',
  'duplicate-subnet': 'flagged, at the first of the two items (20); the core at the second (21)',
  'acme-prod-z001-us-east-1-churn-ml-s3': 'file-name check: the name is not in the file',
  'alerts-email-unused': 'a warning of the core, not an invalid config',
  'name-too-long': 'derived-name limits: computed from several fields by the core',
  'invalid-name-sg-prefix': 'derived-name limits',
  'invalid-s3-prefix-dots': 'S3 bucket-name rules beyond the pattern (rules.rs check_bucket_name)',
  'invalid-ssm-parameter-depth': 'SSM path depth and reserved prefixes (rules.rs)',
  'alias-bomb': 'input limit', 'binary-garbage': 'input check', 'invalid-utf8': 'input check',
  'empty-only-comments': 'input check', 'multiple-documents': 'input check',
  'nesting-deep-block': 'input limit', 'nesting-deep-flow': 'input limit',
  'complex-key': 'YAML layer', 'duplicate-key-nested': 'YAML layer',
  'duplicate-key-top': 'YAML layer', 'tab-indentation': 'YAML layer', 'tab-indentation-sections': 'YAML layer',
  'unknown-anchor': 'YAML layer', 'unsupported-tag': 'YAML layer', 'yaml-bad-indent': 'YAML layer',
  'yaml-unclosed-flow': 'YAML layer', 'yaml-unclosed-quote': 'YAML layer',
};

// Diagnostics an editor adds where the core says less: a misspelt key is also a missing one (the
// core folds that into its "did you mean").
const EXTRA_ALLOWED = {
  'unknown-key-nested': /^Missing property "use_case"\.$/,
  'unknown-key-top': /^Missing property "ml_product"\.$/,
};

const failures = [];
const fail = (msg) => failures.push(msg);

const corpusDir = path.join(root, 'tests/fixtures/bad-configs');
const corpus = fs.readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
for (const name of corpus) {
  if (!IN_SCOPE.includes(name) && !(name in OUT_OF_SCOPE)) fail(`${name}: new corpus case; list it in IN_SCOPE or OUT_OF_SCOPE`);
}
for (const name of [...IN_SCOPE, ...Object.keys(OUT_OF_SCOPE)]) {
  if (!corpus.includes(name)) fail(`${name}: listed but not in the corpus`);
}

// The folder outside the repository, set up as docs/editor.md says.
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'yls-outside-'));
fs.mkdirSync(path.join(outside, 'ml/configs'), { recursive: true });
execFileSync(cli, ['-act', 'copy-examples'], { cwd: outside, stdio: 'pipe' });
const outsideDir = path.join(outside, 'ml/configs');
if (argSchema > 0) fs.copyFileSync(schemaFile, path.join(outsideDir, 'ml-provisioner-config.schema.json'));
const copied = fs.readdirSync(outsideDir).filter((f) => f.endsWith('.yaml'));
const broken = path.join(outsideDir, 'broken-wrong-type.yaml');
const brokenText = fs.readFileSync(path.join(outsideDir, copied[0]), 'utf8')
  .replace(/^( +account_id: ).*$/m, '$1123456789012');
const brokenLine = brokenText.split('\n').findIndex((l) => /^ +account_id: 123456789012$/.test(l)) + 1;
fs.writeFileSync(broken, brokenText);

// --- LSP over stdio ---
const server = spawn(process.execPath, [path.join(nodeTools, 'yaml-language-server/bin/yaml-language-server'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const diagnostics = new Map();
const waiters = new Map();
const settings = {
  yaml: {
    validate: true, hover: false, completion: false, schemaStore: { enable: false },
    schemas: { [pathToFileURL(schemaFile).href]: [`${corpusDir}/*.yaml`] },
  },
};
function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }));
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve) => pending.set(id, resolve));
}
server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const msg = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
    buffer = buffer.subarray(end + 4 + length);
    if (msg.id !== undefined && msg.method) { // a request from the server
      const result = msg.method === 'workspace/configuration'
        ? msg.params.items.map((item) => (item.section ? item.section.split('.').reduce((o, k) => o?.[k], settings) ?? null : settings))
        : null;
      send({ id: msg.id, result });
    } else if (msg.id !== undefined) {
      pending.get(msg.id)?.(msg.result);
    } else if (msg.method === 'textDocument/publishDiagnostics') {
      diagnostics.set(msg.params.uri, msg.params.diagnostics);
      waiters.get(msg.params.uri)?.();
    }
  }
});

async function check(file, text) {
  const uri = pathToFileURL(file).href;
  const published = new Promise((resolve) => waiters.set(uri, resolve));
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: text ?? fs.readFileSync(file, 'utf8') } } });
  await Promise.race([published, new Promise((r) => setTimeout(r, 10000))]);
  await new Promise((r) => setTimeout(r, 50));
  if (!diagnostics.has(uri)) fail(`${file}: no diagnostics published in 10 s`);
  return (diagnostics.get(uri) ?? []).map((d) => ({ line: d.range.start.line + 1, col: d.range.start.character + 1, message: d.message }));
}
const show = (ds) => ds.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ');

await request('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: { workspace: { configuration: true } } });
send({ method: 'initialized', params: {} });
send({ method: 'workspace/didChangeConfiguration', params: { settings } });

let counts = { examples: 0, corpus: 0, outside: 0 };
if (argSchema < 0) { // the examples' modeline names the repository's schema, not --schema
  for (const f of fs.readdirSync(path.join(root, 'examples/configs')).filter((f) => f.endsWith('.yaml'))) {
    const ds = await check(path.join(root, 'examples/configs', f));
    if (ds.length) fail(`examples/configs/${f}: ${show(ds)}`);
    counts.examples++;
  }
  if (counts.examples !== 20) fail(`${counts.examples} examples, expected 20`);
}
for (const name of IN_SCOPE) {
  const file = path.join(corpusDir, `${name}.yaml`);
  const text = fs.readFileSync(file, 'utf8');
  const lines = [...text.matchAll(/^# expect: \S+ (\d+):\d+$/gm)].map((m) => Number(m[1]));
  const ds = await check(file, text);
  for (const line of lines) if (!ds.some((d) => d.line === line)) fail(`${name}: nothing at line ${line} (got: ${show(ds) || 'nothing'})`);
  const extra = ds.filter((d) => !lines.includes(d.line) && !EXTRA_ALLOWED[name]?.test(d.message));
  if (extra.length) fail(`${name}: diagnostics at lines the corpus does not expect: ${show(extra)}`);
  counts.corpus++;
}
for (const f of copied) {
  const ds = await check(path.join(outsideDir, f));
  if (ds.length) fail(`copied ${f}: ${show(ds)}`);
  counts.outside++;
}
const ds = await check(broken);
if (!ds.some((d) => d.line === brokenLine)) fail(`a copied config with account_id unquoted (line ${brokenLine}) gets nothing there: ${show(ds) || 'no diagnostics'}`);

await request('shutdown', null);
send({ method: 'exit' });
fs.rmSync(outside, { recursive: true, force: true });
if (failures.length) {
  console.error(failures.join('\n'));
  console.error(`yaml-language-server: ${failures.length} failures`);
  process.exit(1);
}
console.log(`yaml-language-server: ${counts.examples} examples and ${counts.outside} copies outside the repository without diagnostics, ${counts.corpus} corpus cases flagged at their lines, a wrong type in a copy flagged`);
