// The review as a round trip (issue 13, acceptance 2–4), in Debian's Chromium through
// playwright-core, against the release bundle served on 127.0.0.1. Run by scripts/web-e2e.sh
// after web-defects.mjs.
//   author shares → the reviewer opens the link in a fresh context, comments on two lines and
//   requests changes → reply link → the author sees both comments at their lines → edits a copy,
//   fixes it and shares again → the reviewer approves → decision record downloaded, whose
//   template hash is the SHA-256 of the CLI's create-prov-template output.
// Also: hostile names and comments execute nothing and show as text; damaged reply links get a
// message; axe-core on the review view with comments and on the reply view.
// Usage: node web-review.mjs BASE_URL CLI_DIR (the CLI's files, as web-e2e.sh writes them)
// Prints one line per check; exits 1 listing every failure.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import path from 'node:path';
import * as h from './harness.mjs';
import { b64url, setText } from './harness.mjs';

const [base, cliDir] = process.argv.slice(2);
const EXAMPLE = 'techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml';
const STEM = EXAMPLE.replace(/\.yaml$/, '');
const exampleText = h.exampleText(EXAMPLE);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const { check, test, finish } = h.checklist();
const browser = await h.launch();

async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
  return context;
}
// A page that records dialogs, page errors and requests.
async function openIn(context, url) {
  const page = await context.newPage();
  const seen = h.record(page);
  await h.load(page, url);
  return { page, seen };
}
const clean = (seen, what) => h.clean(check, base, seen, what);
const axe = (page, what) => h.axe(check, page, what);
// Shares the editor's config and returns the review link.
async function share(page) {
  await page.waitForFunction(() => document.querySelector('#status')?.textContent.startsWith('Valid'));
  await page.click('#share');
  await page.waitForSelector('#share-link');
  return page.$eval('#share-link', (e) => e.value);
}
// Comments on a line: its number clicked, the text typed, "Add comment" clicked (or Ctrl+Enter).
async function openComment(page, line) {
  await page.click(`#line-${line} button.ln`);
  await page.waitForSelector('#comment-text');
  const focused = await page.waitForFunction(() => document.activeElement?.id === 'comment-text', null, { timeout: 5000 }).then(() => true, () => false);
  check(focused, `line ${line}: the comment field has the focus`);
}
async function comment(page, line, text, { keys = false } = {}) {
  await openComment(page, line);
  await page.fill('#comment-text', text);
  if (keys) await page.keyboard.press('Control+Enter');
  else await page.click('#comment-add');
  await page.waitForSelector(`#line-${line} .comment`);
  await page.waitForFunction((l) => document.activeElement?.closest('li')?.id === `line-${l}`
    && document.activeElement.classList.contains('ln'), line);
}
// The reviewer's decision; returns the reply link.
async function decide(page, button) {
  await page.click(`#${button}`);
  await page.waitForSelector('#reply-link');
  return page.$eval('#reply-link', (e) => e.value);
}
// What the page shows of an opened reply: per line, the gutter mark and the comments under it.
const shownAt = (page) => page.$$eval('#config-lines li.commented', (lis) => lis.map((li) => ({
  line: Number(li.dataset.line),
  mark: li.querySelector('.gut .mark')?.textContent ?? '',
  comments: [...li.querySelectorAll('.comment-text')].map((c) => c.textContent),
})));

const first = exampleText.replace('cost-center: ml-platform', 'cost-center: data-science');
const lineOf = (text, start) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;
const COMMENTS = [
  [lineOf(first, '  company_name'), 'Is TechCorp the legal name the invoices use?'],
  [lineOf(first, '  cost-center'), 'Cost center must be ml-platform, as for every ML product.'],
];
const REVIEWER = 'Dana Reviewer';

await test('round trip', async () => {
  const author = await newContext();
  const reviewer = await newContext();
  // The author shares a config the reviewer will not accept as it is.
  const a = await openIn(author, base);
  await a.page.waitForSelector('#editor');
  await a.page.fill('#file-name', EXAMPLE);
  await setText(a.page, first);
  const link1 = await share(a.page);
  check(link1.startsWith(`${base}#r=1.`), 'the author has a review link');

  // The reviewer, in a fresh context: comments on two lines, requests changes.
  const r = await openIn(reviewer, link1);
  await r.page.waitForSelector('#review #config-lines');
  const lines = await r.page.locator('#config-lines > li').count();
  check(lines === first.split('\n').length, `the review shows the config as ${lines} numbered lines`);
  check(await r.page.textContent(`#line-${COMMENTS[1][0]} .lt`) === '  cost-center: data-science', 'each line shows its text');
  await r.page.click('#request-changes');
  check((await r.page.textContent('#review-message')).includes('Type your name'), 'a decision without a name is refused with a message');
  await r.page.fill('#reviewer-name', REVIEWER);
  await comment(r.page, ...COMMENTS[0]);
  await comment(r.page, ...COMMENTS[1], { keys: true });
  // Escape closes a comment field without a comment.
  await openComment(r.page, 1);
  await r.page.keyboard.press('Escape');
  await r.page.waitForSelector('#comment-text', { state: 'detached' });
  // The focus moves after the next render (focus_after_render): wait for it, up to 2 s.
  await r.page.waitForFunction(() => document.activeElement?.closest('li')?.id === 'line-1', null, { timeout: 2000 }).catch(() => {});
  check(await r.page.evaluate(() => document.activeElement?.closest('li')?.id) === 'line-1', 'Escape closes the comment field, the focus back on its line');
  check((await r.page.textContent('#review-comment-count')) === '2 comments.', 'the reviewer sees two comments');
  // A reload keeps the review in progress: the name and both comments at their lines.
  const before = await shownAt(r.page);
  await r.page.reload({ waitUntil: 'load' });
  await r.page.waitForSelector('#review #config-lines');
  check(await r.page.inputValue('#reviewer-name') === REVIEWER
    && (await r.page.textContent('#review-comment-count')) === '2 comments.'
    && JSON.stringify(await shownAt(r.page)) === JSON.stringify(before),
  `a reload keeps the name and the comments at their lines (${JSON.stringify(await shownAt(r.page))})`);
  await axe(r.page, 'review view with comments');
  const reply1 = await decide(r.page, 'request-changes');
  check(reply1.startsWith(`${base}#d=1.`), 'requesting changes makes a reply link');
  check((await r.page.textContent('#reply-made')).startsWith(`Changes requested by ${REVIEWER}`), 'the reviewer sees the decision made');
  check((await r.page.textContent('#reply .not-signed')).includes('not signed'), 'the reviewer is told links are not signed');
  const copied = await r.page.evaluate(() => navigator.clipboard.readText());
  check(copied === reply1, 'the reply link is on the clipboard');
  clean(r.seen, 'reviewer, first round');

  // The author opens the reply: both comments at their lines, and listed beside the findings.
  const a2 = await openIn(author, reply1);
  await a2.page.waitForSelector('#reply-view');
  check((await a2.page.textContent('#reply-h')).startsWith(`Review reply: Changes requested by ${REVIEWER}`), 'the reply names the decision and the reviewer');
  const shown = await shownAt(a2.page);
  check(JSON.stringify(shown) === JSON.stringify(COMMENTS.map(([line, text]) => ({ line, mark: '● 1', comments: [text] }))),
    `both comments at their lines, marked in the gutter ${JSON.stringify(shown)}`);
  const listed = await a2.page.$$eval('#reply-comments li', (lis) => lis.map((li) => li.textContent));
  check(JSON.stringify(listed) === JSON.stringify(COMMENTS.map(([line, text]) => `line ${line}: ${text}`)), `the comments are listed ${JSON.stringify(listed)}`);
  check(await a2.page.locator('#reply-view #diagnostics').count() === 1, 'beside the findings');
  check((await a2.page.textContent('#not-signed')).includes('not signed: anyone can make one'), 'the reply view says links are not signed');
  await a2.page.waitForFunction(() => document.querySelector('#reply-template')?.textContent.length > 0);
  check((await a2.page.textContent('#reply-template')).startsWith('This app generates the template the reviewer saw'), 'the template hashes agree');
  check((await a2.page.textContent('#reply-origin')) === `Your draft ${EXAMPLE} in this browser holds exactly this config.`, 'the reply is about the author\'s draft');
  await axe(a2.page, 'reply view');
  // The author fixes a copy and shares again.
  await a2.page.click('#edit-copy');
  await a2.page.waitForSelector('#editor');
  check(!a2.page.url().includes('#d='), 'edit a copy leaves the reply link');
  await setText(a2.page, exampleText);
  const link2 = await share(a2.page);
  clean(a.seen, 'author');
  clean(a2.seen, 'author, reply');

  // The reviewer approves; the decision record's hashes are the config's and the CLI template's.
  const r2 = await openIn(reviewer, link2);
  await r2.page.waitForSelector('#review #config-lines');
  await r2.page.fill('#reviewer-name', REVIEWER);
  const reply2 = await decide(r2.page, 'approve');
  check(reply2.startsWith(`${base}#d=1.`), 'approving makes a reply link');
  const [download] = await Promise.all([r2.page.waitForEvent('download'), r2.page.click('#download-decision')]);
  check(download.suggestedFilename() === `${STEM}-review-decision.json`, `the record is named ${download.suggestedFilename()}`);
  const record = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const cliTemplate = readFileSync(path.join(cliDir, `${STEM}-template.yaml`));
  check(record.template_sha256 === sha256(cliTemplate), `the record's template hash is the CLI template's SHA-256 (${record.template_sha256})`);
  check(record.config_sha256 === sha256(Buffer.from(exampleText)), 'the record\'s config hash is the config file\'s');
  check(record.decision === 'approve' && record.reviewer === REVIEWER && record.signed === false
    && Array.isArray(record.comments) && record.comments.length === 0 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(record.date),
    `the record holds the decision, name, date and no comments ${JSON.stringify({ ...record, note: undefined })}`);
  check(JSON.stringify(Object.keys(record)) === JSON.stringify(['kind', 'format', 'decision', 'reviewer', 'date', 'config_file',
    'config_sha256', 'template_sha256', 'tool_version', 'comments', 'signed', 'note']), 'the record\'s fields in their order');
  // The approval reaches the author too.
  const a3 = await openIn(author, reply2);
  await a3.page.waitForSelector('#reply-view');
  check((await a3.page.textContent('#reply-decision')).startsWith('Approved · 0 comments'), 'the author sees the approval');
  // The fixed copy is the author's draft now: the reply opens it.
  await a3.page.click('#open-draft');
  await a3.page.waitForSelector('#editor');
  check(await a3.page.$eval('#editor', (e) => e.value) === exampleText && !a3.page.url().includes('#d='), 'open your draft: the approved config in the editor, the link left');
  clean(r2.seen, 'reviewer, approval');
  clean(a3.seen, 'author, approval');
  await author.close();
  await reviewer.close();
});

await test('hostile reply', async () => {
  const reviewer = await newContext();
  const a = await openIn(reviewer, base);
  await a.page.waitForSelector('#editor');
  await a.page.fill('#file-name', EXAMPLE);
  await setText(a.page, exampleText);
  const link = await share(a.page);
  const r = await openIn(reviewer, link);
  await r.page.waitForSelector('#review #config-lines');
  const name = '<script>window.__xss=1</script>\u202Eevil javascript:alert(1)';
  const texts = ['<img src=x onerror="window.__xss=2">', 'javascript:window.__xss=3', '"><svg onload=window.__xss=4>\u2066x'];
  await r.page.fill('#reviewer-name', name);
  for (const t of texts) await comment(r.page, 3, t);
  const reply = await decide(r.page, 'request-changes');
  check(await r.page.evaluate(() => window.__xss) === undefined && await r.page.locator('main img, main svg[onload]').count() === 0,
    'the reviewer\'s own view runs nothing');
  clean(r.seen, 'hostile, reviewer');
  const author = await newContext();
  const a2 = await openIn(author, reply);
  await a2.page.waitForSelector('#reply-view');
  await a2.page.waitForTimeout(300);
  const dom = await a2.page.evaluate(() => ({
    xss: window.__xss,
    scripts: [...document.scripts].filter((s) => !s.src).length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    injected: document.querySelectorAll('main img, main svg[onload], main a[href^="javascript"]').length,
  }));
  check(dom.xss === undefined && dom.scripts === 0 && dom.handlers === 0 && dom.injected === 0, `nothing injected or run ${JSON.stringify(dom)}`);
  const shown = await shownAt(a2.page);
  check(shown.length === 1 && JSON.stringify(shown[0].comments) === JSON.stringify([texts[0], texts[1], texts[2].replace('\u2066', '[U+2066]')]),
    `the comments show as text, controls visible ${JSON.stringify(shown)}`);
  check((await a2.page.textContent('#reply-origin')).startsWith('No draft in this browser holds exactly this config'), 'a reply about no draft of this browser says so');
  const heading = await a2.page.textContent('#reply-h');
  check(heading.includes('<script>window.__xss=1</script>[U+202E]evil javascript:alert(1)'), `the name shows as text, controls visible (${heading})`);
  clean(a2.seen, 'hostile, author');
  await reviewer.close();
  await author.close();
});

await test('damaged reply links', async () => {
  const bomb = b64url(deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 0x61), { level: 9 }));
  const changed = (() => {
    // A record whose config is not the one it names by hash.
    const record = JSON.stringify({ kind: 'ml-provisioner-review-decision', format: 1, decision: 'approve', reviewer: 'x', date: 'd',
      config_file: 'a.yaml', config_sha256: '0'.repeat(64), template_sha256: '0'.repeat(64), tool_version: 'v', comments: [], signed: false, note: '' });
    return b64url(deflateRawSync(Buffer.from(`${record}\0client: 1\n`)));
  })();
  const cases = [
    ['corrupted', '#d=1.@@not-base64@@', 'This reply link is damaged'],
    ['corrupt deflate', '#d=1.AAAAAAAAAAAA', 'This reply link is damaged'],
    ['newer format', '#d=7.AAAA', 'newer'],
    ['oversized', `#d=1.${'A'.repeat(40000)}`, 'refused'],
    ['decompression bomb', `#d=1.${bomb}`, 'This reply link expands to more than'],
    ['config changed', `#d=1.${changed}`, 'does not match its SHA-256'],
  ];
  for (const [what, hash, words] of cases) {
    const context = await newContext();
    const started = Date.now();
    const { page, seen } = await openIn(context, `${base}${hash}`);
    const alert = await page.waitForSelector('#link-error', { timeout: 10000 }).catch(() => null);
    const message = alert ? await alert.textContent() : '';
    check(message.includes(words), `${what}: "${message}"`);
    check(await page.locator('#editor').count() === 1 && await page.locator('#reply-view').count() === 0, `${what}: the editor, no reply`);
    check(Date.now() - started < 10000, `${what}: answered in ${Date.now() - started} ms`);
    clean(seen, what);
    await context.close();
  }
});

await browser.close();
finish();
