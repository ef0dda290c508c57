// Every page in both languages: no console error or CSP violation, a label on every input, no
// sideways scrolling from 360 px up, the weight budget, and a screenshot of each page at 1280 px
// and 375 px (in the git-ignored screenshots/ folder, or TEST_SCREENSHOT_DIR).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoProblems, baseUrl, createUser, launch, resetClientLimits, logIn, makeAdmin, screenshot, watchedContext,
} from './lib.mjs';

let browser;
before(async () => {
  resetClientLimits();
  browser = await launch();
});
after(async () => { await browser?.close(); });

// name, path, who must be logged in (null, 'user' or 'admin'), expected status.
const pages = [
  ['login', '/login', null, 200],
  ['login-error', '/login?error=1', null, 200],
  ['register', '/register', null, 200],
  ['home', '/home', 'user', 200],
  ['profile', '/profile', 'user', 200],
  ['password', '/password', 'user', 200],
  ['admin', '/admin', 'admin', 200],
  ['error-403', '/admin', 'user', 403],
  ['error-404', '/no-such-page', null, 404],
];

const viewports = { desktop: { width: 1280, height: 800 }, mobile: { width: 375, height: 740 } };

for (const locale of ['en-US', 'pt-BR']) {
  test(`every page in ${locale}: no console error or CSP violation, labelled inputs, screenshots`, async () => {
    const user = await createUser(locale === 'pt-BR' ? 'Usuária Um' : 'User One');
    const admin = await createUser(locale === 'pt-BR' ? 'Admin Dois' : 'Admin Two');
    makeAdmin(admin.username);
    for (const [vpName, viewport] of Object.entries(viewports)) {
      const contexts = {};
      for (const who of [null, 'user', 'admin']) {
        contexts[who] = await watchedContext(browser, { locale, viewport });
        if (who) await logIn(await contexts[who].newPage(), who === 'admin' ? admin : user);
      }
      try {
        for (const [name, path, who, status] of pages) {
          const page = await contexts[who].newPage();
          const response = await page.goto(baseUrl + path);
          assert.equal(response.status(), status, `${path} as ${who}`);
          assert.equal(await page.getAttribute('html', 'lang'), locale === 'pt-BR' ? 'pt-BR' : 'en');
          const unlabelled = await page.$$eval('input:not([type=hidden])', (inputs) =>
            inputs.filter((i) => i.labels.length === 0).map((i) => i.outerHTML));
          assert.deepEqual(unlabelled, [], `${path}: inputs without a label`);
          const inline = await page.$$eval('script:not([src]), style, [style]', (els) => els.length);
          assert.equal(inline, 0, `${path}: inline script or style`);
          await screenshot(page, `${name}-${locale}-${viewport.width}`);
          await page.close();
        }
      } finally {
        for (const c of Object.values(contexts)) {
          assertNoProblems(c);
          await c.close();
        }
      }
    }
  });
}

test('no page scrolls sideways at 360 px', async () => {
  const user = await createUser('A Rather Long Display Name For A Small Phone Screen');
  const context = await watchedContext(browser, { viewport: { width: 360, height: 700 } });
  try {
    const page = await context.newPage();
    await logIn(page, user);
    for (const path of ['/login', '/login?error=1', '/register', '/home', '/profile', '/password', '/nope']) {
      await page.goto(baseUrl + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${path} is ${width} px wide`);
    }
    assertNoProblems(context);
  } finally {
    await context.close();
  }
});

test('the stylesheet, the script and the icon weigh less than 50 KB together', async () => {
  const context = await watchedContext(browser);
  try {
    const page = await context.newPage();
    const assets = new Map();
    page.on('response', async (r) => {
      if (r.url().includes('/static/')) assets.set(r.url(), (await r.body()).length);
    });
    await page.goto(`${baseUrl}/login`);
    await page.waitForLoadState('networkidle');
    const urls = [...assets.keys()].map((u) => new URL(u).pathname).sort();
    assert.ok(urls.some((u) => /^\/static\/app\.\d+\.css$/.test(u)), urls.join(' '));
    assert.ok(urls.some((u) => /^\/static\/app\.\d+\.js$/.test(u)), urls.join(' '));
    const total = [...assets.values()].reduce((a, b) => a + b, 0);
    assert.ok(total < 50 * 1024, `${total} bytes: ${urls.join(' ')}`);
  } finally {
    await context.close();
  }
});
