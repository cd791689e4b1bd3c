// End-to-end cases for the defects of issue 13 (each failed on the app before its fix), in
// Debian's Chromium through playwright-core, against the release bundle served on 127.0.0.1.
// Run by scripts/web-e2e.sh after web-e2e.mjs.
// Usage: node web-defects.mjs BASE_URL
// Prints one line per check; exits 1 listing every failure.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import path from 'node:path';
import * as h from './harness.mjs';
import { LARGEST, ROOT, b64url, editorText, exampleText, pick, setText } from './harness.mjs';

const [base] = process.argv.slice(2);
const EXAMPLE = 'techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml';
const { check, test, finish } = h.checklist();
const browser = await h.launch();

async function newContext(viewport = { width: 1400, height: 1000 }) {
  return browser.newContext({ viewport, acceptDownloads: true });
}
// A page of the app that records dialogs, page and console errors.
async function openIn(context, url) {
  const page = await context.newPage();
  const seen = h.record(page);
  await h.load(page, url);
  return { page, seen };
}
function link(fileName, text) {
  const payload = Buffer.concat([Buffer.from(`${fileName}\0`), Buffer.from(text)]);
  return `#r=1.${b64url(deflateRawSync(payload))}`;
}
// Whether the element's box lies inside the container's box (1 px of rounding).
async function inside(page, element, container) {
  const [e, c] = [await page.locator(element).boundingBox(), await page.locator(container).boundingBox()];
  return { ok: !!e && !!c && e.x >= c.x - 1 && e.x + e.width <= c.x + c.width + 1, e, c };
}

// 1. The report's contents links scroll inside the frame instead of loading the app into it.
await test('report links', async () => {
  const context = await newContext();
  const { page, seen } = await openIn(context, base);
  await pick(page, EXAMPLE);
  await page.click('#tab-report');
  const checkLinks = async (where) => {
    const frame = page.frameLocator('#report-frame');
    await frame.locator('a[href$="#cost"]').click();
    await page.waitForTimeout(400);
    const h1 = await frame.locator('h1').count();
    check(h1 === 1 && (await frame.locator('h1').textContent()).includes('customer-churn'), `${where}: the frame still shows the report after the "#cost" link`);
    const cost = await frame.locator('#cost').boundingBox();
    const box = await page.locator('#report-frame').boundingBox();
    check(!!cost && cost.y >= box.y - 1 && cost.y < box.y + box.height, `${where}: the cost section is scrolled into the frame's view (${cost && Math.round(cost.y)} in ${Math.round(box.y)}..${Math.round(box.y + box.height)})`);
    check(await page.$eval('#report-frame', (f) => f.getAttribute('sandbox')) === '', `${where}: the frame stays sandboxed without exceptions`);
  };
  await checkLinks('report tab');
  const review = await openIn(context, `${base}${link(EXAMPLE, exampleText(EXAMPLE))}`);
  await review.page.waitForSelector('#review #report-frame');
  const saved = page;
  await saved.close();
  const p2 = review.page;
  const frame = p2.frameLocator('#report-frame');
  await frame.locator('a[href$="#checklist"]').click();
  await p2.waitForTimeout(400);
  check(await frame.locator('h1').count() === 1 && await frame.locator('#checklist').count() === 1, 'review view: the frame still shows the report after the "#checklist" link');
  const problems = [seen, review.seen].flatMap((x) => x.errors.concat(x.dialogs.map((d) => `dialog: ${d}`)));
  check(problems.length === 0, `no page error or dialog ${problems.join(' | ')}`);
  await context.close();
});

// 2. A clicked diagnostic off screen scrolls the editor and the gutter to it.
await test('diagnostic scroll', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await page.waitForSelector('#editor');
  const body = exampleText(EXAMPLE).split('\n').filter((l) => !l.startsWith('#')).join('\n');
  const text = `${'# comment\n'.repeat(400)}${body.trimEnd()}\nbogus_key: 1\n`;
  const line = text.split('\n').findIndex((l) => l.startsWith('bogus_key')) + 1;
  await setText(page, text);
  await page.waitForSelector(`#diagnostics button[data-line="${line}"]`);
  await page.click('#editor', { position: { x: 40, y: 8 } });
  await page.click(`#diagnostics button[data-line="${line}"]`);
  await page.waitForTimeout(200);
  const view = await page.evaluate(() => {
    const e = document.querySelector('#editor');
    const g = document.querySelector('#gutter');
    const lineHeight = parseFloat(getComputedStyle(e).lineHeight);
    return { top: e.scrollTop, height: e.clientHeight, lineHeight, gutterTop: g.scrollTop,
      caretLine: e.value.slice(0, e.selectionStart).split('\n').length };
  });
  const lineTop = (line - 1) * view.lineHeight;
  check(view.caretLine === line, `the selection is on line ${line} (${view.caretLine})`);
  check(lineTop >= view.top && lineTop + view.lineHeight <= view.top + view.height, `line ${line} is in the editor's view (scrollTop ${view.top}, height ${view.height})`);
  check(Math.abs(view.gutterTop - view.top) < 1, `the gutter scrolled with it (${view.gutterTop} vs ${view.top})`);
  await context.close();
});

// 3. Messages clear when their cause goes.
await test('messages clear', async () => {
  const context = await newContext();
  const { page } = await openIn(context, `${base}#r=99.abc`);
  await page.waitForSelector('#link-error');
  check((await page.textContent('#link-error')).includes('format 99'), 'a newer link format gets a message');
  await page.evaluate((h) => { location.hash = h; }, link(EXAMPLE, exampleText(EXAMPLE)));
  await page.waitForSelector('#review');
  await page.waitForTimeout(200);
  check(await page.locator('#link-error').count() === 0, 'opening a valid link clears the bad link\'s message');
  await page.click('#edit-copy');
  await page.waitForSelector('#editor');
  const good = await editorText(page);
  await setText(page, good.replace('tier: starter', 'tier: startr'));
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('error'));
  await page.click('#download-template');
  await page.waitForSelector('#notice');
  check((await page.textContent('#notice')).includes('Fix the config'), 'a download of an invalid config is refused with a message');
  await setText(page, good);
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Valid'));
  await page.waitForTimeout(100);
  check(await page.locator('#notice').count() === 0, 'the refusal goes once the config is fixed');
  await context.close();
});

// 4. Drafts: one per draft, listed; new config, an example and edit a copy never overwrite
// another; two tabs on one draft notice each other's changes.
await test('drafts', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await pick(page, EXAMPLE);
  await page.$eval('#editor', (e) => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); });
  await page.keyboard.type('# first draft\n');
  const first = await editorText(page);
  await page.click('#new-config');
  await page.waitForFunction(() => !document.querySelector('#editor').value.includes('# first draft'));
  await page.$eval('#editor', (e) => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); });
  await page.keyboard.type('# second draft\n');
  await pick(page, LARGEST);
  await page.goto(`${base}${link('shared.yaml', exampleText(EXAMPLE))}`);
  await page.waitForSelector('#edit-copy');
  await page.click('#edit-copy');
  await page.waitForSelector('#editor');
  const options = await page.locator('#drafts option').allTextContents();
  check(options.some((o) => o.includes(EXAMPLE)) && options.some((o) => o.includes('config.yaml')) && options.some((o) => o.includes('shared.yaml')),
    `the drafts list has the example's, the new config's and the copy's drafts (${options.join(' | ')})`);
  const value = await page.$eval('#drafts', (s, f) => [...s.options].find((o) => o.textContent.includes(f))?.value, EXAMPLE);
  await page.selectOption('#drafts', value);
  await page.waitForFunction((f) => document.querySelector('#file-name').value === f, EXAMPLE);
  check(await editorText(page) === first, 'reopening the first draft gives its text back, after new config, an example and edit a copy');

  // Two tabs on the same draft.
  const other = await context.newPage();
  await other.goto(base, { waitUntil: 'load' });
  await other.waitForSelector('#editor');
  await other.selectOption('#drafts', value);
  await other.waitForFunction((f) => document.querySelector('#file-name').value === f, EXAMPLE);
  await page.$eval('#editor', (e) => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); });
  await page.keyboard.type('# from tab one\n');
  await other.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('another tab'), null, { timeout: 5000 });
  check((await editorText(other)).includes('# from tab one'), 'the other tab notices the change and shows it');
  await other.$eval('#editor', (e) => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); });
  await other.keyboard.type('# from tab two\n');
  await page.waitForFunction(() => document.querySelector('#editor').value.includes('# from tab two'), null, { timeout: 5000 });
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#editor');
  const after = await editorText(page);
  check(after.includes('# from tab one') && after.includes('# from tab two'), 'neither tab\'s change was overwritten');
  await context.close();
});

// 5. A file that is not UTF-8 gets the CLI's diagnostic (the corpus file's expectation, which
// the CLI's and the core's corpus tests hold).
await test('invalid UTF-8 file', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await page.waitForSelector('#editor');
  const fixture = path.join(ROOT, 'tests', 'fixtures', 'bad-configs', 'invalid-utf8.yaml');
  const expect = readFileSync(fixture, 'latin1').split('\n')[0].match(/# expect: (\w+)\[([\w-]+)\] (\d+):(\d+)/);
  await page.setInputFiles('#open-file', fixture);
  await page.waitForFunction(() => document.querySelector('#file-name').value === 'invalid-utf8.yaml');
  await page.waitForTimeout(100);
  const listed = await page.locator('#diagnostics button').allTextContents();
  check(listed.length === 1 && listed[0].startsWith(`${expect[3]}:${expect[4]} ${expect[1]}[${expect[2]}]`), `the one diagnostic is the CLI's ${expect[3]}:${expect[4]} ${expect[1]}[${expect[2]}] (${listed.join(' | ')})`);
  await context.close();
});

// 6. Layout: the resources table fits its pane at 1280-1400 px; the review summary wraps at 420.
await test('layout', async () => {
  for (const width of [1280, 1340, 1400]) {
    const context = await newContext({ width, height: 900 });
    const { page } = await openIn(context, base);
    await pick(page, LARGEST);
    await page.click('#tab-resources');
    await page.waitForSelector('#tab-panel table');
    const why = await inside(page, '#tab-panel thead th:nth-child(4)', '.preview-pane');
    check(why.ok, `${width} px: the "Why" column is inside the preview pane (${JSON.stringify(why.e)} in ${JSON.stringify(why.c)})`);
    await context.close();
  }
  const context = await newContext({ width: 420, height: 900 });
  const { page } = await openIn(context, `${base}${link(LARGEST, exampleText(LARGEST))}`);
  await page.waitForSelector('#review-summary');
  const summary = await page.$eval('#review-summary', (e) => ({ scroll: e.scrollWidth, client: e.clientWidth, right: e.getBoundingClientRect().right }));
  check(summary.scroll <= summary.client + 1 && summary.right <= 420, `420 px: the review summary (SHA-256 and all) wraps within the page (${JSON.stringify(summary)})`);
  await context.close();
});

// 7. Smaller defects.
await test('tier list', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await pick(page, EXAMPLE);
  await setText(page, exampleText(EXAMPLE).replace('tier: starter', 'tier: [a, b]'));
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('error'));
  const listed = (await page.locator('#diagnostics button').allTextContents()).join(' | ');
  check(!listed.includes('this value') && listed.includes('[a, b]'), `a list as the tier is named (${listed})`);
  await context.close();
});

await test('tab indentation', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await pick(page, EXAMPLE);
  const tabbed = exampleText(EXAMPLE).split('\n').map((l) => (l && !l.startsWith('#') ? `\t${l.trimStart()}` : l)).join('\n');
  await setText(page, tabbed);
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('error'));
  const listed = await page.locator('#diagnostics button').allTextContents();
  check(listed.length === 1 && listed[0].includes('[tab-indentation]'), `the tab is the one problem listed (${listed.length}: ${listed.slice(0, 3).join(' | ')})`);
  await context.close();
});

await test('empty file name', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await pick(page, EXAMPLE);
  await page.fill('#file-name', '');
  await page.waitForTimeout(100);
  const download = page.waitForEvent('download', { timeout: 1500 }).then((d) => d.suggestedFilename()).catch(() => null);
  await page.click('#download-template');
  const name = await download;
  check(name === null, `no download without a file name (got ${name})`);
  check(await page.locator('#file-name[aria-invalid=true]').count() === 1 && (await page.textContent('#file-name-error')).includes('file name'), 'the file name field says why');
  await page.fill('#file-name', 'renamed.yaml');
  await page.waitForTimeout(100);
  check(await page.locator('#file-name-error').count() === 0, 'a file name clears it');
  await context.close();
});

await test('tab keys', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await pick(page, EXAMPLE);
  const selected = () => page.$eval('[role=tablist]', (l) => ({
    selected: l.querySelector('[aria-selected=true]')?.id,
    focused: document.activeElement?.id,
    tabbable: [...l.querySelectorAll('[role=tab]')].filter((t) => t.tabIndex === 0).map((t) => t.id),
  }));
  await page.focus('#tab-resources');
  await page.keyboard.press('ArrowRight');
  let s = await selected();
  check(s.selected === 'tab-diagram' && s.focused === 'tab-diagram', `ArrowRight moves to and selects the next tab (${JSON.stringify(s)})`);
  check(s.tabbable.length === 1 && s.tabbable[0] === 'tab-diagram', 'only the selected tab is in the tab order');
  await page.keyboard.press('End');
  s = await selected();
  check(s.selected === 'tab-report' && s.focused === 'tab-report', `End selects the last tab (${s.selected})`);
  await page.keyboard.press('ArrowRight');
  s = await selected();
  check(s.selected === 'tab-resources', `ArrowRight from the last wraps to the first (${s.selected})`);
  await page.keyboard.press('ArrowLeft');
  s = await selected();
  check(s.selected === 'tab-report', `ArrowLeft from the first wraps to the last (${s.selected})`);
  await page.keyboard.press('Home');
  s = await selected();
  check(s.selected === 'tab-resources' && s.focused === 'tab-resources', `Home selects the first tab (${s.selected})`);
  await context.close();
});

await test('new config schema line', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await page.waitForSelector('#new-config');
  await page.click('#new-config');
  await page.waitForTimeout(100);
  const first = (await editorText(page)).split('\n')[0];
  // The line copy-examples writes beside the schema file (docs/editor.md).
  check(first === '# yaml-language-server: $schema=./ml-provisioner-config.schema.json', `the new config names the schema file copy-examples writes (${first})`);
  await context.close();
});

await test('huge paste', async () => {
  const context = await newContext();
  const { page } = await openIn(context, base);
  await pick(page, EXAMPLE);
  const before = await editorText(page);
  const timing = await page.evaluate(async (size) => {
    const area = document.querySelector('#editor');
    const macrotask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
    const t0 = performance.now();
    area.value = `${area.value}# ${'x'.repeat(size)}\n`;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await macrotask();
    return { paste: performance.now() - t0 };
  }, 6 * 1024 * 1024);
  await page.waitForTimeout(400);
  const length = (await editorText(page)).length;
  check(length === before.length, `the paste is refused: the editor keeps the config (${length} characters, ${before.length} before)`);
  check(timing.paste < 400, `refused without freezing the tab (${Math.round(timing.paste)} ms)`);
  const notice = await page.locator('#notice').textContent().catch(() => '');
  check(notice.includes('262144') || notice.includes('256 KiB'), `the message gives the limit (${notice.slice(0, 120)})`);
  const key = await page.evaluate(async () => {
    const area = document.querySelector('#editor');
    const macrotask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
    const t0 = performance.now();
    area.value = `${area.value}#`;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await macrotask();
    return performance.now() - t0;
  });
  check(key < 100, `a keystroke after it is fast (${key.toFixed(1)} ms)`);
  await context.close();
});

await browser.close();
finish();
