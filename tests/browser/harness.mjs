// What the browser tests share (web-e2e, web-defects, web-review, keystroke): Debian's Chromium
// through playwright-core, the list of checks, a page that records what it did, axe-core, and
// the app's own steps (pick an example, read the editor).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The example with the longest names and the most resources. */
export const LARGEST = 'globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm-workload.yaml';
export const exampleText = (file) => readFileSync(path.join(ROOT, 'examples', 'configs', file), 'utf8');

/** Debian's Chromium (CHROMIUM overrides), headless, nothing fetched but what a page asks. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The checks of one script: `check` prints one line each; `test` runs a case, an exception
 * being that case's failure; `finish` exits 1 listing every failure.
 */
export function checklist() {
  const failures = [];
  let current = '';
  const check = (ok, what) => {
    if (ok) console.log(`ok   ${current}: ${what}`);
    else { console.log(`FAIL ${current}: ${what}`); failures.push(`${current}: ${what}`); }
  };
  return {
    check,
    section(name) { current = name; },
    async test(name, body) {
      current = name;
      try { await body(); } catch (e) { check(false, `threw: ${String(e.message || e).split('\n')[0]}`); }
    },
    finish() {
      if (failures.length) {
        console.error(`${failures.length} failure(s):\n${failures.join('\n')}`);
        process.exit(1);
      }
    },
  };
}

/** Records a page's dialogs (dismissed), page and console errors, and requests. */
export function record(page) {
  const seen = { dialogs: [], errors: [], requests: [] };
  page.on('dialog', async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('request', (r) => seen.requests.push(`${r.method()} ${r.url()}`));
  return seen;
}

/** Opens the app at `url` and waits until it has mounted. */
export async function load(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('main', { timeout: 30000 });
}

/**
 * Checks that a recorded page opened no dialog, had no error, and asked only for the app's own
 * files (GET, no query): never a link's contents, which stay in the fragment.
 */
export function clean(check, base, seen, what) {
  check(seen.dialogs.length === 0, `${what}: no dialog opened ${seen.dialogs.join(' | ')}`);
  check(seen.errors.length === 0, `${what}: no page or console error ${seen.errors.join(' | ')}`);
  const bad = seen.requests.filter((r) => !r.startsWith(`GET ${base}`) || r.includes('#')
    || /[rd]=\d+\./.test(r) || /[?&]/.test(r.slice(4)));
  check(bad.length === 0, `${what}: only GETs of the app's own files, never a link's contents ${bad.join(', ')}`);
}

/** axe-core on the whole page: no violations. */
export async function axe(check, page, what) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  check(r.violations.length === 0, `${what}: axe-core finds no violations ${r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`).join(' | ')}`);
}

/** Base64url without padding, as the app's links write it. */
export const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const editorText = (page) => page.$eval('#editor', (e) => e.value);

/**
 * Picks an example and waits until the app shows it: its file name, and "Valid" (the status
 * alone may still be the previous example's: two examples can share a stack name).
 */
export async function pick(page, file) {
  await page.selectOption('#example', file);
  await page.waitForFunction((f) => document.querySelector('#file-name')?.value === f
    && document.querySelector('#status')?.textContent.startsWith('Valid'), file);
}

/** Replaces the editor's text as a paste would (one input event). */
export async function setText(page, text) {
  await page.$eval('#editor', (e, t) => { e.value = t; e.dispatchEvent(new Event('input', { bubbles: true })); }, text);
}
