// A thin remote control for one headless Chromium page, used by DashboardE2EIT (Java): it reads one JSON
// command per line on stdin and answers each with one JSON line on stdout, in order. The assertions live
// in the Java test; this script only opens, waits (bounded, Playwright's own timeouts) and reports.
//
//   {"cmd":"open","url":U,"timeoutMs":T}            -> {"ok":true}
//   {"cmd":"waitFor","selector":S,"timeoutMs":T}    -> {"ok":true,"text":<textContent of the first match>}
//   {"cmd":"waitGone","selector":S,"timeoutMs":T}   -> {"ok":true} once no element matches S
//   {"cmd":"texts","selector":S}                    -> {"ok":true,"texts":[<textContent of every match>]}
//   {"cmd":"click","selector":S,"timeoutMs":T}      -> {"ok":true} once the first match was clicked
//   {"cmd":"evaluate","expression":E}               -> {"ok":true,"value":<E's value in the page, awaited, as JSON>}
//   {"cmd":"url"}                                   -> {"ok":true,"url":<the page's current URL>}
//   {"cmd":"problems"}                              -> {"ok":true,"problems":[<console errors, page errors, CSP reports>]}
//   {"cmd":"screenshot","path":P}                   -> {"ok":true}
//   {"cmd":"close"}                                 -> {"ok":true}, then exit 0
// A failed command answers {"ok":false,"error":<message>} and the script goes on. Chromium comes from
// CHROMIUM_PATH (default /usr/bin/chromium); playwright-core downloads no browser.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
let browser = null;
let page = null;
const problems = [];

function reply(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

async function open({ url, timeoutMs }) {
  if (!browser) {
    browser = await chromium.launch({ executablePath, headless: true, timeout: timeoutMs });
  }
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push('console: ' + msg.text());
  });
  page.on('pageerror', (error) => problems.push('page error: ' + error.message));
  await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
  return {};
}

async function run(command) {
  switch (command.cmd) {
    case 'open':
      return open(command);
    case 'waitFor': {
      // The element as matched now: the page may change it right after (a live view does).
      const handle = await page.waitForSelector(command.selector, { state: 'attached', timeout: command.timeoutMs });
      return { text: await handle.textContent() };
    }
    case 'waitGone':
      await page.waitForSelector(command.selector, { state: 'detached', timeout: command.timeoutMs });
      return {};
    case 'texts':
      return { texts: await page.locator(command.selector).allTextContents() };
    case 'click':
      await page.locator(command.selector).first().click({ timeout: command.timeoutMs });
      return {};
    case 'evaluate':
      // A string is evaluated as an expression in the page; a promise it yields is awaited.
      return { value: await page.evaluate(command.expression) };
    case 'url':
      return { url: page.url() };
    case 'problems':
      return { problems };
    case 'screenshot':
      await page.screenshot({ path: command.path, fullPage: true });
      return {};
    case 'close':
      return {};
    default:
      throw new Error('unknown command ' + command.cmd);
  }
}

async function main() {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let command;
    try {
      command = JSON.parse(line);
      reply({ ok: true, ...(await run(command)) });
    } catch (error) {
      reply({ ok: false, error: String(error && error.message ? error.message : error) });
    }
    if (command && command.cmd === 'close') break;
  }
  if (browser) await browser.close();
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
