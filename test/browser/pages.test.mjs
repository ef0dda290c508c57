// Every page in both languages: no console error or CSP violation, a label on every input, text
// contrast at WCAG AA, no sideways scrolling from 360 px up, the weight budget, and a screenshot
// of each page at 1280 px and 375 px (in the git-ignored screenshots/ folder, or
// TEST_SCREENSHOT_DIR).
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
  ['sessions', '/sessions', 'user', 200],
  ['admin', '/admin', 'admin', 200],
  ['error-403', '/admin', 'user', 403],
  ['error-404', '/no-such-page', null, 404],
];

// Every element with its own text whose colour against its background is below WCAG AA
// (4.5:1, or 3:1 for large text); the background is the nearest opaque one behind it.
function lowContrastText(page) {
  return page.evaluate(() => {
    const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const low = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const style = getComputedStyle(el);
      if (!own || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
      const box = el.getBoundingClientRect();
      if (box.bottom < 0) continue;  // the skip link waits above the page until focused
      const [l1, l2] = [lum(parse(style.color)), lum(background(el))].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) low.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}: ${el.textContent.trim().slice(0, 40)}`);
    }
    return low;
  });
}

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
          if (vpName === 'desktop') {
            const low = await lowContrastText(page);
            assert.deepEqual(low, [], `${path}: text below WCAG AA contrast`);
          }
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
    for (const path of ['/login', '/login?error=1', '/register', '/home', '/profile', '/password', '/sessions', '/nope']) {
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
