// End-to-end test of the browser app (the release bundle in dist/, served on 127.0.0.1) in
// Debian's Chromium through playwright-core. Run by scripts/web-e2e.sh, which serves the bundle
// and writes the CLI's files for the download comparison first.
// Usage: node web-e2e.mjs BASE_URL CLI_DIR EPOCH_SECONDS HOSTILE_YAML LITERALS_JSON RESULTS_JSON
//   CLI_DIR holds {stem}-template.yaml, {stem}-iam-policy-{n}.json, {stem}-iam-policy.md and
//   {stem}-review-report.html for
//   the configs in DOWNLOADS, written by the CLI with SOURCE_DATE_EPOCH=EPOCH_SECONDS.
//   The change set and drift reports it opens are tests/fixtures/stack/*.json (the core's tests
//   prove they are exactly what the CLI writes).
// Prints one line per check; exits 1 listing every failure.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as h from './harness.mjs';
import { LARGEST, editorText, pick } from './harness.mjs';

const [base, cliDir, epoch, hostilePath, literalsPath, resultsPath] = process.argv.slice(2);
const STACK_FIXTURES = path.join(h.ROOT, 'tests', 'fixtures', 'stack');
const DOWNLOADS = [
  'techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml',
  'edge-prod-b001-us-west-2-fraud-detection-ml-s3.yaml',
  'globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml',
];
const { check, section, finish } = h.checklist();
const results = {};
const browser = await h.launch();

// A context whose page records dialogs, page errors and requests.
async function open(url, { clock } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const seen = h.record(page);
  if (clock) await page.clock.setFixedTime(clock);
  await h.load(page, url);
  return { context, page, seen };
}
const clean = (seen, what) => h.clean(check, base, seen, what);
const axe = (page, what) => h.axe(check, page, what);
const status = (page) => page.textContent('#status');

// 1. Load an example, type an error, jump to it, fix it; every preview tab.
section('editor');
{
  const { context, page, seen } = await open(base);
  // First render: the app's mark at the first animation frame after mounting, from navigation start.
  await page.waitForFunction(() => performance.getEntriesByName('mlp-first-frame').length === 1);
  results.first_render_ms = await page.evaluate(() => performance.getEntriesByName('mlp-first-frame')[0].startTime);
  const csp = await page.$eval('meta[http-equiv=Content-Security-Policy]', (m) => m.content);
  check(csp.includes("script-src 'self' 'wasm-unsafe-eval'") && !csp.includes('unsafe-inline'), 'the page forbids inline script by its CSP');
  await pick(page, LARGEST);
  check((await status(page)).startsWith('Valid — enterprise tier'), 'an enterprise example loads as valid');
  const text = await editorText(page);
  const lineNo = text.split('\n').findIndex((l) => l.includes('tier: enterprise')) + 1;
  const offset = text.indexOf('tier: enterprise') + 'tier: enterprise'.length;
  await page.$eval('#editor', (e, o) => { e.focus(); e.setSelectionRange(o, o); }, offset);
  await page.keyboard.type('z');
  await page.waitForSelector(`#diagnostics button[data-line="${lineNo}"]`);
  check((await status(page)).includes('error'), 'the status counts the error');
  await page.click('#editor', { position: { x: 5, y: 5 } });
  await page.click(`#diagnostics button[data-line="${lineNo}"]`);
  const caretLine = await page.$eval('#editor', (e) => e.value.slice(0, e.selectionStart).split('\n').length);
  check(caretLine === lineNo, `clicking the diagnostic puts the cursor on line ${lineNo} (got ${caretLine})`);
  check(await page.evaluate(() => document.activeElement?.id === 'editor'), 'the editor has the focus');
  await page.$eval('#editor', (e, o) => { e.focus(); e.setSelectionRange(o + 1, o + 1); }, offset);
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Valid'));
  check(true, 'fixing it makes the config valid again');
  const expect = {
    resources: async () => (await page.locator('#tab-panel tbody tr').count()) > 30,
    diagram: async () => (await page.locator('#tab-panel svg[role=img]').count()) === 1,
    policy: async () => (await page.textContent('#tab-panel pre')).includes('"Version": "2012-10-17"'),
    template: async () => (await page.textContent('#tab-panel pre')).includes('AWSTemplateFormatVersion'),
    checks: async () => (await page.textContent('#tab-panel')).includes('found nothing'),
    cost: async () => (await page.textContent('#tab-panel')).includes('Interface VPC endpoints'),
    checklist: async () => (await page.locator('#tab-panel ol.checklist li').count()) > 5,
    report: async () => {
      const frame = page.frameLocator('#report-frame');
      return (await frame.locator('h1').textContent()).includes('demand-forecasting');
    },
  };
  for (const [tab, ok] of Object.entries(expect)) {
    await page.click(`#tab-${tab}`);
    await page.waitForTimeout(50);
    check(await ok(), `the ${tab} tab renders`);
  }
  // Keyboard only: the arrow keys move between the tabs (web-defects.mjs tests the whole pattern).
  await page.focus('#tab-resources');
  await page.keyboard.press('ArrowRight');
  check(await page.$eval('#tab-diagram', (e) => e.getAttribute('aria-selected')) === 'true', 'tabs work from the keyboard');
  await axe(page, 'editor');

  // Performance (measured in the page): keystroke → diagnostics on the largest example.
  section('performance');
  await page.selectOption('#example', '');
  await pick(page, LARGEST);
  const samples = await page.evaluate(async () => {
    const area = document.querySelector('#editor');
    const statusEl = document.querySelector('#status');
    const macrotask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
    const original = area.value;
    const out = [];
    for (let i = 0; i < 120; i++) {
      const broken = i % 2 === 0;
      const before = statusEl.textContent;
      const t0 = performance.now();
      area.value = broken ? original.replace('tier: enterprise', 'tier: enterprisez') : original;
      area.dispatchEvent(new Event('input', { bubbles: true }));
      await macrotask();
      const t1 = performance.now();
      if (statusEl.textContent === before) return { error: `status did not change at ${i}` };
      out.push(t1 - t0);
    }
    return { out };
  });
  check(!samples.error, `every keystroke updated the status ${samples.error || ''}`);
  if (samples.out) {
    const s = samples.out.slice(20).sort((a, b) => a - b);
    results.keystroke_ms = { p50: s[Math.floor(s.length * 0.5)], p95: s[Math.floor(s.length * 0.95)], n: s.length };
  }
  await page.waitForTimeout(300);
  const recompute = [];
  for (let i = 0; i < 20; i++) {
    await page.click(i % 2 ? '#tab-resources' : '#tab-report');
    recompute.push(Number(await page.getAttribute('#perf', 'data-previews-ms')));
  }
  recompute.sort((a, b) => a - b);
  results.recompute_previews_ms = { p50: recompute[10], max: recompute[19], n: 20 };
  results.validate_in_app_ms = Number(await page.getAttribute('#perf', 'data-validate-ms'));
  section('editor');
  clean(seen, 'editor session');
  await context.close();
}

// 2. Downloads are byte-identical to the CLI's files (one config per tier).
section('downloads');
// One page per config: Chromium stops a page's downloads after ten (a config's template, report,
// policy documents and guide are five or six).
for (const file of DOWNLOADS) {
  const { context, page, seen } = await open(base, { clock: new Date(Number(epoch) * 1000) });
  {
    await pick(page, file);
    const stem = file.replace(/\.yaml$/, '');
    for (const [button, name] of [['template', `${stem}-template.yaml`], ['report', `${stem}-review-report.html`]]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#download-${button}`)]);
      check(download.suggestedFilename() === name, `${button} download is named ${name}`);
      const got = readFileSync(await download.path());
      const want = readFileSync(path.join(cliDir, name));
      check(Buffer.compare(got, want) === 0, `${name} equals the CLI's file byte for byte (${got.length} vs ${want.length} bytes)`);
    }
    // The operator policy is a set: each managed-policy document and the guide, downloaded one
    // by one from the policy tab (the top button opens it), each equal to the CLI's file, and as
    // many documents as the CLI wrote.
    await page.click('#download-policy');
    await page.waitForSelector('#download-policy-guide');
    check(await page.getAttribute('#tab-policy', 'aria-selected') === 'true', 'the policy button opens the policy tab');
    const cliDocuments = readdirSync(cliDir).filter((f) => f.startsWith(`${stem}-iam-policy-`) && /^\d+\.json$/.test(f.slice(stem.length + 12))).length;
    const buttons = await page.locator('[id^=download-policy-]').count();
    check(cliDocuments > 0 && buttons === cliDocuments + 1, `${stem}: the tab offers the CLI's ${cliDocuments} documents and the guide (${buttons} downloads)`);
    const names = [...Array(cliDocuments).keys()].map((i) => [`policy-${i + 1}`, `${stem}-iam-policy-${i + 1}.json`]).concat([['policy-guide', `${stem}-iam-policy.md`]]);
    for (const [button, name] of names) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#download-${button}`)]);
      check(download.suggestedFilename() === name, `${button} download is named ${name}`);
      const got = readFileSync(await download.path());
      const want = readFileSync(path.join(cliDir, name));
      check(Buffer.compare(got, want) === 0, `${name} equals the CLI's file byte for byte (${got.length} vs ${want.length} bytes)`);
      if (name.endsWith('.json')) {
        const chars = got.toString('utf8').replace(/\s/g, '').length;
        check(chars <= 6144, `${name}: ${chars} characters, within IAM's 6,144`);
      }
    }
  }
  clean(seen, `downloads of ${file}`);
  await context.close();
}

// 3. Share for review → a fresh context opens the review view; edit a copy; the draft survives a reload.
section('share');
let shareLink;
{
  const { context, page, seen } = await open(base);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
  await pick(page, DOWNLOADS[2]);
  await page.click('#share');
  await page.waitForSelector('#share-link');
  shareLink = await page.$eval('#share-link', (e) => e.value);
  check(shareLink.startsWith(`${base}#r=1.`), 'the link carries the config in the fragment');
  check((await page.textContent('label[for=share-link]')).includes(`${shareLink.length} characters`), 'the link length is shown');
  await page.waitForSelector('#notice');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied === shareLink, 'the link is on the clipboard');
  // Long links: a warning past 2 000 characters, a refusal past the hard cap.
  const random = (n) => [...randomBytes(n)].map((b) => String.fromCharCode(33 + (b % 90))).join('');
  const base0 = await editorText(page);
  await page.fill('#editor', `${base0}# ${random(3000)}\n`);
  await page.click('#share');
  await page.waitForSelector('#share-warning');
  check((await page.$eval('#share-link', (e) => e.value)).length > 2000, 'a link over 2 000 characters is made, with a warning');
  await page.fill('#editor', `${base0}# ${random(60000)}\n`);
  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('refused'));
  check(await page.locator('#share-link').count() === 0, 'a link over the hard cap is refused with a message');
  await page.fill('#editor', base0);
  // Open file: a config from disk replaces the draft, with its name.
  await page.setInputFiles('#open-file', path.resolve(cliDir, '..', 'open-me.yaml'));
  await page.waitForFunction(() => document.querySelector('#file-name').value === 'open-me.yaml');
  check((await editorText(page)).includes('company_name'), 'open file loads the file and its name');
  await page.selectOption('#example', '');
  await pick(page, DOWNLOADS[2]);
  // Reload: the draft is restored.
  await page.$eval('#editor', (e) => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); });
  await page.keyboard.type('# reviewed by e2e\n');
  const typed = await editorText(page);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#editor');
  check(await editorText(page) === typed, 'reload restores the draft');
  clean(seen, 'share');
  await context.close();
}
section('review');
{
  const { context, page, seen } = await open(shareLink);
  await page.waitForSelector('#review');
  const heading = await page.textContent('#review-h');
  check(heading === 'Review: globalbank-prod-c001-us-west-2-demand-forecasting-ml', `the review view names the product (${heading})`);
  // As many resources as the CLI's template of that example has.
  const cliTemplate = readFileSync(path.join(cliDir, `${DOWNLOADS[2].replace(/\.yaml$/, '')}-template.yaml`), 'utf8');
  const resources = cliTemplate.split('\nResources:\n')[1].split(/\n\S/)[0].match(/^  [A-Za-z0-9]+:$/gm).length;
  check((await status(page)).startsWith(`Valid — enterprise tier, ${resources} resources`), `the review shows the same product (${resources} resources, as the CLI's template)`);
  check((await page.locator('#review ol.checklist li').count()) > 5, 'the review shows the checklist');
  check((await page.locator('#review svg[role=img]').count()) === 1, 'the review shows the diagram');
  check((await page.frameLocator('#report-frame').locator('#checklist').count()) === 1, 'the review shows the report');
  check((await page.locator('#editor').count()) === 0, 'the review is read-only');
  await axe(page, 'review view');
  await page.click('#edit-copy');
  await page.waitForSelector('#editor');
  check((await editorText(page)).includes('demand-forecasting'), 'edit a copy opens the config in the editor');
  check(!page.url().includes('#r='), 'the address no longer carries the link');
  clean(seen, 'review');
  await context.close();
}
{
  // The review's downloads are the CLI's files for the shared config, byte for byte. With the
  // CLI's time (page.clock), whose script Chromium blocks in the sandboxed report frame with a
  // console error: so this page's console is not checked here (the review above checks it).
  const { context, page } = await open(shareLink, { clock: new Date(Number(epoch) * 1000) });
  await page.waitForSelector('#review-downloads button');
  const reviewStem = DOWNLOADS[2].replace(/\.yaml$/, '');
  const wanted = readdirSync(cliDir).filter((f) => f.startsWith(`${reviewStem}-`)).sort();
  const offered = (await page.$$eval('#review-downloads button', (bs) => bs.map((b) => b.dataset.file))).sort();
  check(wanted.length >= 4 && JSON.stringify(offered) === JSON.stringify(wanted), `the review offers the CLI's ${wanted.length} files (${offered.join(', ')})`);
  for (const name of offered) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#review-downloads button[data-file="${name}"]`)]);
    check(download.suggestedFilename() === name, `review download is named ${name}`);
    const got = readFileSync(await download.path());
    const want = readFileSync(path.join(cliDir, name));
    check(Buffer.compare(got, want) === 0, `review: ${name} equals the CLI's file byte for byte (${got.length} vs ${want.length} bytes)`);
  }
  await context.close();
}

// 4. Bad links: a clear message, never a crash or a frozen tab.
section('bad links');
{
  const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const bomb = b64url(deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 0x61), { level: 9 }));
  const cases = [
    ['corrupted', '#r=1.@@not-base64@@', 'damaged'],
    ['corrupt deflate', '#r=1.AAAAAAAAAAAA', 'damaged'],
    ['newer format', '#r=7.AAAA', 'newer'],
    ['oversized', `#r=1.${'A'.repeat(40000)}`, 'refused'],
    ['decompression bomb', `#r=1.${bomb}`, 'expands to more than'],
  ];
  for (const [what, hash, words] of cases) {
    const started = Date.now();
    const { context, page, seen } = await open(`${base}${hash}`);
    const alert = await page.waitForSelector('#link-error', { timeout: 10000 }).catch(() => null);
    const message = alert ? await alert.textContent() : '';
    check(message.includes(words), `${what}: "${message}"`);
    check(await page.locator('#editor').count() === 1, `${what}: the editor still works`);
    check(Date.now() - started < 10000, `${what}: answered in ${Date.now() - started} ms`);
    clean(seen, what);
    await context.close();
  }
}

// 5. XSS: hostile config values and a hand-crafted hostile link execute nothing.
section('xss');
{
  const hostile = readFileSync(hostilePath, 'utf8');
  const literals = JSON.parse(readFileSync(literalsPath, 'utf8'));
  const { context, page, seen } = await open(base);
  await page.fill('#file-name', '"><img src=x onerror=alert(1)>.yaml');
  await page.fill('#editor', hostile);
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Valid'));
  for (const tab of ['resources', 'diagram', 'policy', 'template', 'checks', 'cost', 'checklist', 'report']) {
    await page.click(`#tab-${tab}`);
    await page.waitForTimeout(30);
  }
  await page.click('#share');
  await page.waitForSelector('#share-link');
  const link = await page.$eval('#share-link', (e) => e.value);
  const dom = await page.evaluate(() => ({
    xss: window.__xss,
    scripts: [...document.scripts].filter((s) => !s.src && !s.textContent.includes('init')).length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    imgs: document.querySelectorAll('img').length,
  }));
  check(dom.xss === undefined && dom.handlers === 0 && dom.imgs === 0 && dom.scripts === 0, `hostile config: nothing injected ${JSON.stringify(dom)}`);
  clean(seen, 'hostile config');
  await context.close();
  const crafted = (() => {
    const payload = Buffer.concat([Buffer.from('javascript:alert(1)//"><svg onload=alert(2)>.yaml\0'), Buffer.from(hostile)]);
    const b64 = deflateRawSync(payload).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return `${base}#r=1.${b64}`;
  })();
  for (const [what, url] of [['shared hostile config', link], ['hand-crafted hostile link', crafted]]) {
    const r = await open(url);
    await r.page.waitForSelector('#review');
    await r.page.waitForTimeout(300);
    const text = await r.page.evaluate(() => document.body.innerText);
    const reportText = await r.page.frameLocator('#report-frame').locator('body').innerText();
    check(literals.slice(0, 3).every((l) => text.includes(l) || reportText.includes(l)), `${what}: hostile values show as text`);
    const dom2 = await r.page.evaluate(() => ({ xss: window.__xss, imgs: document.querySelectorAll('img, main svg[onload]').length }));
    check(dom2.xss === undefined && dom2.imgs === 0, `${what}: nothing injected ${JSON.stringify(dom2)}`);
    clean(r.seen, what);
    await r.context.close();
  }
}

// 6. Stack reports: a change set (file picker) and a drift report (dropped) written by the CLI
// open in a read-only view with the core's page; other JSON and newer files get a message.
section('stack reports');
{
  const { context, page, seen } = await open(base);
  await page.waitForSelector('#editor');
  const draft = await editorText(page);
  const started = Date.now();
  await page.setInputFiles('#open-file', path.join(STACK_FIXTURES, 'demo-changes.json'));
  await page.waitForSelector('#stack-review');
  results.open_change_set_ms = Date.now() - started;
  const stackName = 'techcorp-prod-a001-us-west-2-customer-churn-ml-stack';
  check(await page.textContent('#stack-h') === `Change set: ${stackName}`, 'the change set view names the stack');
  check((await page.textContent('#stack-summary')).startsWith('1 to add, 4 to modify (1 replaced, 1 may be replaced), 1 to remove; 2 security-relevant changes'), 'the summary counts the changes');
  const security = await page.locator('#stack-security li').allTextContents();
  check(security.length === 2 && security[1].includes('Allow ssm:GetParameter on *'), `the security-relevant changes are listed first (${security.length})`);
  const frame = page.frameLocator('#stack-frame');
  check(await frame.locator('#changes tr[data-action=modify]').count() === 4, 'the modification rows are shown');
  check(await frame.locator('#security tr[data-category=iam]').count() === 2, 'the page highlights the IAM changes');
  check((await frame.locator('#changes tr[data-action=modify]', { hasText: 'ModelPackageGroup' }).textContent()).includes('REPLACE'), 'a replacement is flagged');
  check((await frame.locator('#changes').textContent()).includes('ml-research'), 'property values before and after are shown');
  check(await page.$eval('#stack-frame', (f) => f.getAttribute('sandbox')) === '', 'the page is in a sandboxed frame');
  await axe(page, 'change set view');
  await page.click('#stack-back');
  await page.waitForSelector('#editor');
  check(await editorText(page) === draft, 'back to the editor keeps the draft');

  // A drift report dropped on the editor view.
  const driftText = readFileSync(path.join(STACK_FIXTURES, 'demo-drift.json'), 'utf8');
  const drop = async (name, text) => {
    const dataTransfer = await page.evaluateHandle(([n, t]) => {
      const d = new DataTransfer();
      d.items.add(new File([t], n, { type: 'application/json' }));
      return d;
    }, [name, text]);
    await page.dispatchEvent('.edit-view', 'drop', { dataTransfer });
  };
  await drop('demo-drift.json', driftText);
  await page.waitForSelector('#stack-review');
  check(await page.textContent('#stack-h') === `Drift: ${stackName}`, 'a dropped drift report opens');
  check((await page.textContent('#stack-summary')).startsWith('DRIFTED'), 'the drift summary says DRIFTED');
  const drift = page.frameLocator('#stack-frame');
  check(await drift.locator('#drift tr[data-status=modified]').count() === 2, 'the modified resources are shown');
  check(await drift.locator('#drift tr[data-status=deleted]').count() === 1, 'the deleted resource is shown');
  check((await drift.locator('#drift tr[data-status=modified]', { hasText: 'ArtifactBucket' }).textContent()).includes('Suspended'), 'expected and actual values are shown');
  check((await drift.locator('#not-checked').textContent()).includes('ModelPackageGroup'), 'what AWS could not check is listed');
  await axe(page, 'drift view');
  await page.click('#stack-back');
  await page.waitForSelector('#editor');

  // Refused: a newer format, and JSON that is not one of these reports (the CLI's policy file).
  await page.setInputFiles('#open-file', { name: 'x-drift.json', mimeType: 'application/json', buffer: Buffer.from(driftText.replace('"format": 1', '"format": 2')) });
  await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('format 2'));
  check((await page.textContent('#notice')).includes('newer'), `a newer format is refused: "${await page.textContent('#notice')}"`);
  await page.setInputFiles('#open-file', path.join(cliDir, 'techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit-iam-policy-1.json'));
  await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('no "kind"'));
  check(true, `a JSON that is not a report is refused: "${await page.textContent('#notice')}"`);
  check(await page.locator('#stack-review').count() === 0 && await editorText(page) === draft, 'a refused file leaves the editor as it was');
  clean(seen, 'stack reports');
  await context.close();
}

// 6b. The change sets and drift reports the CLI itself wrote against the local AWS endpoint
// (native-cli/tests/it/aws.rs copies them to $ML_PROVISIONER_STACK_REPORTS): each opens and shows its rows.
section('CLI stack reports');
{
  const dir = process.env.ML_PROVISIONER_STACK_REPORTS;
  const files = dir && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('-changes.json') || f.endsWith('-drift.json')).sort() : [];
  if (process.env.ML_PROVISIONER_FULL_TESTS) {
    check(files.some((f) => f.endsWith('-changes.json')) && files.some((f) => f.endsWith('-drift.json')), `the CLI wrote a changes and a drift report to open (${files.length} in ${dir})`);
  }
  const { context, page, seen } = await open(base);
  await page.waitForSelector('#editor');
  for (const name of files) {
    const report = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    await page.setInputFiles('#open-file', path.join(dir, name));
    await page.waitForSelector('#stack-review');
    const heading = await page.textContent('#stack-h');
    check(heading.includes(report.stack.stack_name), `${name}: the view names the stack (${heading})`);
    const frame = page.frameLocator('#stack-frame');
    if (report.kind === 'changes') {
      const rows = await frame.locator('#changes tr[data-action]').count();
      check(rows === report.changes.length && rows > 0, `${name}: every change is a row (${rows} of ${report.changes.length})`);
    } else {
      const drifted = await frame.locator('#drift tr[data-status=modified]').count();
      check(drifted === report.resources.filter((r) => r.status === 'modified').length && drifted > 0, `${name}: the drifted resources are shown (${drifted})`);
    }
    await page.click('#stack-back');
    await page.waitForSelector('#editor');
  }
  clean(seen, 'CLI stack reports');
  await context.close();
}

// 7. Hostile change set and drift reports execute nothing, in the page or its frame.
section('stack xss');
{
  const { context, page, seen } = await open(base);
  await page.waitForSelector('#editor');
  for (const [name, literal] of [
    ['hostile-changes.json', "<script>window.__xss='stack';alert(1)</script>"],
    ['hostile-drift.json', "<script>window.__xss='logical';alert(12)</script>"],
  ]) {
    await page.setInputFiles('#open-file', path.join(STACK_FIXTURES, name));
    await page.waitForSelector('#stack-review');
    await page.waitForTimeout(300);
    const dom = await page.evaluate(() => ({
      xss: window.__xss,
      scripts: [...document.scripts].filter((s) => !s.src).length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      embeds: document.querySelectorAll('img, object, embed, base, iframe:not(#stack-frame)').length,
    }));
    check(dom.xss === undefined && dom.scripts === 0 && dom.handlers === 0 && dom.embeds === 0, `${name}: nothing injected in the page ${JSON.stringify(dom)}`);
    const frame = page.frameLocator('#stack-frame');
    const inFrame = await frame.locator('script, img, svg, iframe, object, embed, link, base, [onerror], [onload], [onmouseover], a[href^="javascript"]').count();
    check(inFrame === 0, `${name}: nothing injected in the frame (${inFrame} elements)`);
    const frameText = await frame.locator('body').innerText();
    const heading = await page.textContent('#stack-h');
    check(frameText.includes(literal) && heading.includes("<script>window.__xss='stack';alert(1)</script>"), `${name}: hostile values show as text`);
    await page.click('#stack-back');
    await page.waitForSelector('#editor');
  }
  clean(seen, 'hostile stack reports');
  await context.close();
}

await browser.close();
if (resultsPath) writeFileSync(resultsPath, JSON.stringify(results, null, 2));
console.log(JSON.stringify(results));
finish();
