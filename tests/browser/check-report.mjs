// Loads review reports in headless Chromium (playwright-core, Debian's chromium) and checks them:
//   every report: no network request besides the file itself, no console error (a CSP violation
//   would be one), no dialog, no script element, and axe-core finds no violations;
//   a hostile report (--hostile): additionally loaded with its Content-Security-Policy removed, so
//   only escaping protects it: still no dialog, no script run, no element with an on* attribute,
//   no img/iframe/object, and each given literal shows as text;
//   --screenshot OUT.png FILE: a viewport screenshot and OUT-diagram.png of the diagram.
// Usage: node check-report.mjs [--axe FILE]... [--hostile FILE LITERALS.json] [--screenshot OUT FILE]
// Exits 1 with one line per problem. Needs NODE_PATH with playwright-core and axe-core, CHROMIUM.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { launch } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const args = process.argv.slice(2);
const axeFiles = [], hostile = [], shots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--axe') axeFiles.push(args[++i]);
  else if (args[i] === '--hostile') hostile.push({ file: args[++i], literals: JSON.parse(readFileSync(args[++i], 'utf8')) });
  else if (args[i] === '--screenshot') shots.push({ out: args[++i], file: args[++i] });
  else { console.error(`unknown argument ${args[i]}`); process.exit(2); }
}

const problems = [];
const browser = await launch();

// Opens a page that records requests, dialogs, console errors and script runs.
async function watchedPage(context, label) {
  const page = await context.newPage();
  const seen = { requests: [], dialogs: [], errors: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  return { page, seen, label };
}

function expectClean({ seen, label }, allowedUrl) {
  const others = seen.requests.filter((u) => u !== allowedUrl);
  if (others.length) problems.push(`${label}: network requests: ${others.join(', ')}`);
  if (seen.dialogs.length) problems.push(`${label}: dialogs opened: ${seen.dialogs.join(' | ')}`);
  if (seen.errors.length) problems.push(`${label}: console errors: ${seen.errors.join(' | ')}`);
}

async function domChecks({ page, label }) {
  const found = await page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      scripts: document.querySelectorAll('script').length,
      handlers: all.filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).map((e) => e.tagName),
      embeds: document.querySelectorAll('img, iframe, object, embed, video, audio, link[rel=stylesheet], base, form').length,
      jsLinks: [...document.querySelectorAll('[href], [src], [action]')].filter((e) => /^\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')).length,
      xss: window.__xss === undefined ? null : String(window.__xss),
    };
  });
  if (found.scripts) problems.push(`${label}: ${found.scripts} script element(s)`);
  if (found.handlers.length) problems.push(`${label}: event-handler attributes on ${found.handlers.join(', ')}`);
  if (found.embeds) problems.push(`${label}: ${found.embeds} img/iframe/object/link/base/form element(s)`);
  if (found.jsLinks) problems.push(`${label}: ${found.jsLinks} javascript: link(s)`);
  if (found.xss !== null) problems.push(`${label}: injected script ran (window.__xss = ${found.xss})`);
}

async function axe({ page, label }) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations) {
    problems.push(`${label}: axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  }
}

const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
for (const file of axeFiles) {
  const url = pathToFileURL(path.resolve(file)).href;
  const w = await watchedPage(context, path.basename(file));
  await w.page.goto(url, { waitUntil: 'load' });
  await domChecks(w);
  expectClean(w, url);
  await axe(w);
  await w.page.close();
  console.log(`checked ${path.basename(file)}`);
}

for (const { file, literals } of hostile) {
  const url = pathToFileURL(path.resolve(file)).href;
  const html = readFileSync(file, 'utf8');
  // As shipped, with its Content-Security-Policy.
  const a = await watchedPage(context, `${path.basename(file)} (with CSP)`);
  await a.page.goto(url, { waitUntil: 'load' });
  await domChecks(a);
  expectClean(a, url);
  await a.page.close();
  // Without the CSP: only the escaping stands between the config and the page.
  const stripped = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  if (stripped === html) problems.push(`${file}: no CSP meta tag found to strip`);
  const b = await watchedPage(context, `${path.basename(file)} (CSP removed)`);
  await b.page.setContent(stripped, { waitUntil: 'load' });
  await b.page.waitForTimeout(200);
  await domChecks(b);
  expectClean(b, 'about:blank');
  const text = await b.page.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    return document.body.innerText;
  });
  for (const literal of literals) {
    if (!text.includes(literal)) problems.push(`${file}: the text ${JSON.stringify(literal)} is not shown literally`);
  }
  await b.page.close();
  console.log(`checked hostile ${path.basename(file)} (${literals.length} literals)`);
}

for (const { out, file } of shots) {
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
  await page.screenshot({ path: out });
  await page.locator('svg.diagram').screenshot({ path: out.replace(/\.png$/, '-diagram.png') });
  await page.close();
  console.log(`wrote ${out}`);
}

await browser.close();
for (const p of problems) console.error(p);
process.exit(problems.length ? 1 : 0);
