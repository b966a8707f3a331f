#!/usr/bin/env node
// The "real browser" of gapi's tests: Debian's /usr/bin/chromium driven by npm's playwright-core.
// It plays the user in a login: opens an authorization (or device verification) URL, walks the
// server's pages, and reports the page it ends on.
//
// Usage: node tests/peers/browser.mjs <url> [options]
//   --action allow|deny    what the user answers on the consent page (default allow)
//   --user EMAIL           gapi emulator: the test user to pick; oidc-provider: the login name
//                          when --login is not given
//   --login NAME           oidc-provider dev login name (default: --user, else "alice")
//   --password PW          oidc-provider dev login password (any is accepted; default "password")
//   --user-code CODE       device flow: the code to type when the page asks for one
//   --screenshots DIR      save login.png / consent.png / device.png / final.png into DIR
//   --timeout SECS         per-navigation timeout (default 30)
//   --headed               a visible window (needs $DISPLAY, e.g. under Xvfb) instead of headless
//   --chromium PATH        the browser (default $GAPI_TEST_CHROMIUM, else /usr/bin/chromium)
//
// Pages it knows:
//   - the gapi emulator's consent page: title starts with "Sign in - gapi emulator", radio inputs
//     name="user" value=EMAIL, buttons #allow / #deny;
//   - the gapi emulator's device page (title "Sign in - gapi emulator - device"): the same plus
//     an input name="user_code", filled with --user-code when empty;
//   - oidc-provider's dev login page (input name="login"), its consent page (hidden input
//     prompt=consent, "Continue"; deny = its "[ Cancel ]" link), its device code input and
//     confirmation pages ("Continue"; deny = "[ Abort ]").
// Any other page is the final one (the app's loopback success/failure page, an oob page titled
// "Success code=...", a device "Sign-in Success" page). It then prints ONE JSON line on stdout:
//   {"final_url": ..., "title": ..., "text": <first 500 chars of the body text>, "steps": [...]}
// and exits 0. On failure (browser cannot start, a page did not load, the server showed an error
// page, a user is not on the consent page) it prints a clear message on stderr, still prints the
// JSON line when a page was reached (with an "error" field), and exits non-zero.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'usage: node browser.mjs <url> [--action allow|deny] [--user EMAIL] [--login NAME] '
  + '[--password PW] [--user-code CODE] [--screenshots DIR] [--timeout SECS] [--headed] [--chromium PATH]';

function die(message, code = 2) {
  process.stderr.write(`browser.mjs: ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      action: { type: 'string', default: 'allow' },
      user: { type: 'string' },
      login: { type: 'string' },
      password: { type: 'string', default: 'password' },
      'user-code': { type: 'string' },
      screenshots: { type: 'string' },
      timeout: { type: 'string', default: '30' },
      headed: { type: 'boolean', default: false },
      chromium: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
} catch (err) {
  die(`${err.message}\n${USAGE}`);
}
const { values: opt, positionals } = parsed;
if (opt.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) die(`expected exactly one URL, got ${positionals.length}\n${USAGE}`);
const startUrl = positionals[0];
try {
  new URL(startUrl);
} catch {
  die(`not a URL: ${JSON.stringify(startUrl)}`);
}
if (!['allow', 'deny'].includes(opt.action)) die(`--action must be allow or deny, got ${JSON.stringify(opt.action)}`);
const timeoutMs = Number(opt.timeout) * 1000;
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) die(`--timeout must be a positive number of seconds, got ${JSON.stringify(opt.timeout)}`);
const chromiumPath = opt.chromium || process.env.GAPI_TEST_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) {
  die(`no browser at ${chromiumPath}: install Debian's chromium (scripts/setup-test-deps.sh) or pass --chromium PATH`);
}
const loginName = opt.login || opt.user || 'alice';
if (opt.screenshots) fs.mkdirSync(opt.screenshots, { recursive: true });

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (err) {
  die(`cannot load playwright-core (${err.message}): run \`npm ci --prefix tests/peers\` (scripts/setup-test-deps.sh does it)`);
}

const steps = [];
const note = (s) => {
  steps.push(s);
  if (process.env.GAPI_TEST_BROWSER_DEBUG) process.stderr.write(`browser.mjs: ${s}\n`);
};

async function shot(page, name) {
  if (!opt.screenshots) return;
  try {
    await page.screenshot({ path: path.join(opt.screenshots, name), fullPage: true });
  } catch (err) {
    process.stderr.write(`browser.mjs: screenshot ${name} failed: ${err.message}\n`);
  }
}

// Click and wait for the page that the click leads to (a form post and its redirects).
async function clickAndWait(page, locator, what) {
  note(`click ${what}`);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: timeoutMs }),
    locator.click({ timeout: timeoutMs }),
  ]);
}

async function has(page, selector) {
  return (await page.locator(selector).count()) > 0;
}

// One step of the user's walk. Returns true when the page was handled (so another page follows),
// false when this is the final page.
async function step(page) {
  const title = await page.title();

  if (title.startsWith('Sign in - gapi emulator')) {
    // The consent page, or the device page ("... - device") which also asks for the user code
    // (prefilled when opened from verification_uri_complete).
    const codeInput = page.locator('input[name="user_code"]');
    if ((await codeInput.count()) > 0) {
      await shot(page, 'device.png');
      if (!(await codeInput.inputValue().catch(() => ''))) {
        if (!opt['user-code']) throw new Error('the device page asks for a user code: pass --user-code');
        await codeInput.fill(opt['user-code']);
      }
    } else {
      await shot(page, 'consent.png');
    }
    if (opt.user) {
      const radio = page.locator(`input[name="user"][value="${opt.user.replace(/["\\]/g, '\\$&')}"]`);
      if ((await radio.count()) === 0) {
        const offered = await page.locator('input[name="user"]').evaluateAll((els) => els.map((e) => e.value));
        throw new Error(`user ${opt.user} is not offered on the emulator's consent page (offered: ${offered.join(', ') || 'none'})`);
      }
      await radio.check({ timeout: timeoutMs });
      note(`emulator consent: picked ${opt.user}`);
    }
    await clickAndWait(page, page.locator(opt.action === 'allow' ? '#allow' : '#deny'), `emulator #${opt.action}`);
    return true;
  }

  if (await has(page, 'form[id="op.deviceInputForm"]')) {
    await shot(page, 'device.png');
    const input = page.locator('input[name="user_code"]');
    const current = await input.inputValue().catch(() => '');
    if (!current) {
      if (!opt['user-code']) throw new Error('the device page asks for a user code: pass --user-code');
      await input.fill(opt['user-code']);
    }
    await clickAndWait(page, page.locator('button[form="op.deviceInputForm"]'), 'oidc device code Continue');
    return true;
  }

  if (await has(page, 'form[id="op.deviceConfirmForm"]')) {
    await shot(page, 'device.png');
    const button = opt.action === 'allow'
      ? page.locator('button[autofocus][form="op.deviceConfirmForm"]')
      : page.locator('button[name="abort"]');
    await clickAndWait(page, button, `oidc device confirm ${opt.action}`);
    return true;
  }

  if (await has(page, 'input[name="login"]')) {
    await shot(page, 'login.png');
    await page.locator('input[name="login"]').fill(loginName);
    await page.locator('input[name="password"]').fill(opt.password);
    await clickAndWait(page, page.locator('button[type="submit"]'), `oidc login as ${loginName}`);
    return true;
  }

  if (await has(page, 'input[name="prompt"][value="consent"]')) {
    await shot(page, 'consent.png');
    const target = opt.action === 'allow'
      ? page.locator('button[type="submit"]')
      : page.locator('a', { hasText: '[ Cancel ]' });
    await clickAndWait(page, target, `oidc consent ${opt.action}`);
    return true;
  }

  // The gapi emulator's device page (its markup is the emulator's own): a user_code field.
  if (await has(page, 'input[name="user_code"]')) {
    await shot(page, 'device.png');
    const input = page.locator('input[name="user_code"]');
    if (!(await input.inputValue().catch(() => ''))) {
      if (!opt['user-code']) throw new Error('the device page asks for a user code: pass --user-code');
      await input.fill(opt['user-code']);
    }
    await clickAndWait(page, page.locator('form:has(input[name="user_code"]) [type="submit"]').first(), 'device code submit');
    return true;
  }

  return false;
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gapi-chromium-'));
let context;
let exitCode = 0;
let result;
let lastNavigationUrl = startUrl;
try {
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: !opt.headed,
      timeout: timeoutMs,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Only loopback is reachable in tests; fail names fast instead of waiting on DNS
        // (oidc-provider's pages import a web font).
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]',
      ],
    });
  } catch (err) {
    die(`cannot start ${chromiumPath}: ${err.message.split('\n')[0]}`, 3);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeoutMs);
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) lastNavigationUrl = req.url();
  });

  try {
    note(`open ${startUrl}`);
    await page.goto(startUrl, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    let handled = 0;
    while (await step(page)) {
      handled += 1;
      if (handled > 12) throw new Error(`still not on a final page after ${handled} pages (a loop?): ${page.url()}`);
    }
    await page.waitForLoadState('domcontentloaded');
    await shot(page, 'final.png');
    const title = await page.title();
    const text = (await page.locator('body').innerText().catch(() => '')).slice(0, 500);
    result = { final_url: page.url(), title, text, steps };
    if (title === 'oidc-provider error') {
      result.error = 'oidc-provider showed its error page';
      exitCode = 1;
    }
  } catch (err) {
    const message = err.message.split('\n')[0];
    await shot(page, 'final.png');
    result = {
      final_url: page.url().startsWith('chrome-error:') ? lastNavigationUrl : page.url(),
      title: await page.title().catch(() => ''),
      text: (await page.locator('body').innerText().catch(() => '')).slice(0, 500),
      steps,
      error: message,
    };
    exitCode = 1;
  }
} finally {
  await context?.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

process.stdout.write(`${JSON.stringify(result)}\n`);
if (result.error) process.stderr.write(`browser.mjs: ${result.error} (at ${result.final_url})\n`);
process.exit(exitCode);
