// The login flow in a real browser: the generic error, the personalized home, a profile change
// seen at once, logout, keyboard-only use, the same flow with JavaScript turned off, and the 429
// page once an account's failed logins are throttled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoProblems, baseUrl, createUser, logIn, screenshot, useBrowser, watchedContext,
} from './lib.mjs';

const { withPage, browser } = useBrowser();

test('wrong password shows the generic error, tied to both fields', async () => {
  const user = await createUser('Wrong Password');
  await withPage({}, async (page) => {
    await page.goto(`${baseUrl}/login`);
    assert.equal(await page.locator('[role=alert]').count(), 0);
    await page.fill('#username', user.username);
    await page.fill('#password', 'not-the-password');
    await Promise.all([page.waitForURL(/\/login\?error=1$/), page.click('button[type=submit]')]);
    const alert = page.locator('#login-error[role=alert]');
    assert.equal((await alert.textContent()).trim(), 'Invalid username or password.');
    assert.equal(await page.getAttribute('#username', 'aria-describedby'), 'login-error');
    assert.equal(await page.getAttribute('#password', 'aria-describedby'), 'login-error');
    // The same words for an account that does not exist.
    await page.fill('#username', user.username + '-nobody');
    await page.fill('#password', 'not-the-password');
    await Promise.all([page.waitForURL(/\/login\?error=1$/), page.click('button[type=submit]')]);
    assert.equal((await alert.textContent()).trim(), 'Invalid username or password.');
  });
});

test('correct login lands on home, which greets the user by display name', async () => {
  const user = await createUser('User One');
  await withPage({}, async (page) => {
    await logIn(page, user);
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, User One');
    assert.equal(await page.title(), 'Home · Acme');
    const card = await page.textContent('dl.profile');
    assert.match(card, new RegExp(user.username));
    assert.match(card, new RegExp(`${user.username}@example.com`));
    // Last login: the time of this login, written for people, with the exact time in datetime.
    const when = page.locator('dl.profile time');
    const iso = await when.getAttribute('datetime');
    assert.ok(Math.abs(Date.parse(iso) - Date.now()) < 5 * 60 * 1000, `last login ${iso}`);
    assert.match(await when.textContent(), /^[A-Z][a-z]+ \d{1,2}, \d{4}, \d{2}:\d{2} UTC$/);
  });
});

test('a new display name shows on home at once', async () => {
  const user = await createUser('Before Change');
  await withPage({}, async (page) => {
    await logIn(page, user);
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, Before Change');
    await page.click('a[href="/profile"]');
    await page.waitForURL(`${baseUrl}/profile`);
    assert.equal(await page.inputValue('#display_name'), 'Before Change');
    await page.fill('#display_name', 'After Change');
    await Promise.all([page.waitForURL(`${baseUrl}/home`), page.click('button[type=submit]')]);
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, After Change');
    // And on a fresh load, not only on the redirect's page.
    await page.reload();
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, After Change');
  });
});

test('an invalid email on the profile form is shown next to the field and keeps the typed values', async () => {
  const user = await createUser('Profile Errors');
  await withPage({}, async (page) => {
    await logIn(page, user);
    await page.goto(`${baseUrl}/profile`);
    await page.fill('#display_name', 'Kept Name');
    // Past the browser's own check (the script's and the browser's would stop "a@b" earlier).
    await page.$eval('form', (f) => { f.noValidate = true; f.querySelector('#email').type = 'text'; });
    await page.fill('#email', 'not-an-email');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    assert.equal(await page.inputValue('#display_name'), 'Kept Name');
    assert.equal(await page.inputValue('#email'), 'not-an-email');
    assert.equal(await page.getAttribute('#email', 'aria-describedby'), 'email-error');
    assert.equal((await page.textContent('#email-error')).trim(), 'Email must look like name@example.com.');
  });
});

test('after logout, /home lands on /login', async () => {
  const user = await createUser('Logging Out');
  await withPage({}, async (page) => {
    await logIn(page, user);
    await Promise.all([page.waitForURL(`${baseUrl}/login`), page.click('form.logout button')]);
    await page.goto(`${baseUrl}/home`);
    assert.equal(page.url(), `${baseUrl}/login`);
    assert.equal((await page.textContent('h1')).trim(), 'Log in');
    // The browser's back button shows nothing private either: the page was no-store.
    await page.goBack();
    await page.goto(`${baseUrl}/home`);
    assert.equal(page.url(), `${baseUrl}/login`);
  });
});

test('login, home and logout work with the keyboard alone', async () => {
  const user = await createUser('Key Board');
  await withPage({}, async (page) => {
    await page.goto(`${baseUrl}/login`);
    // The username field has focus on load (autofocus).
    assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
    await page.keyboard.type(user.password);
    await Promise.all([page.waitForURL(`${baseUrl}/home`), page.keyboard.press('Enter')]);
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, Key Board');
    // The first Tab reaches the skip link, which shows itself when focused and jumps to the content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    const top = await page.$eval('.skip-link', (el) => el.getBoundingClientRect().top);
    assert.ok(top >= 0, `skip link at ${top}px`);
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, '#main');
    // Tab to the logout button and press it: every control on the way is reachable.
    const seen = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => document.activeElement.textContent.trim());
      seen.push(label);
      if (label === 'Log out') break;
    }
    assert.ok(seen.includes('Edit profile'), seen.join(' | '));
    assert.equal(seen.at(-1), 'Log out', seen.join(' | '));
    await Promise.all([page.waitForURL(`${baseUrl}/login`), page.keyboard.press('Enter')]);
  });
});

test('every focused control shows a visible focus ring', async () => {
  await withPage({}, async (page) => {
    await page.goto(`${baseUrl}/login`);
    for (const selector of ['#username', 'button[type=submit]', '.lang-switch a']) {
      await page.focus(selector);
      // Keyboard focus (focus-visible) comes from a key press; Shift alone moves nothing.
      await page.keyboard.press('Shift');
      const ring = await page.$eval(selector, (el) => {
        const s = getComputedStyle(el);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
      });
      assert.ok(ring.style !== 'none' && ring.width >= 2, `${selector}: ${JSON.stringify(ring)}`);
    }
  });
});

test('the whole flow works with JavaScript turned off', async () => {
  const user = await createUser('No Script');
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await logIn(page, user);
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, No Script');
    // No enhancement ran: no show-password buttons, the browser's own validation is on.
    await page.goto(`${baseUrl}/profile`);
    assert.equal(await page.locator('.reveal').count(), 0);
    await page.fill('#display_name', 'Still No Script');
    await Promise.all([page.waitForURL(`${baseUrl}/home`), page.click('button[type=submit]')]);
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, Still No Script');
    await Promise.all([page.waitForURL(`${baseUrl}/login`), page.click('form.logout button')]);
  });
});

test('show password reveals the typed password and hides it again', async () => {
  await withPage({}, async (page) => {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#password', 'secret-words');
    const toggle = page.locator('button.reveal');
    assert.equal(await toggle.getAttribute('aria-controls'), 'password');
    assert.equal(await toggle.getAttribute('aria-label'), 'Show password');
    await toggle.click();
    assert.equal(await page.getAttribute('#password', 'type'), 'text');
    assert.equal(await toggle.getAttribute('aria-label'), 'Hide password');
    await toggle.click();
    assert.equal(await page.getAttribute('#password', 'type'), 'password');
    assert.equal(await page.inputValue('#password'), 'secret-words');
  });
});

test('the sessions page, reached from home, ends another session of the same account', async () => {
  const user = await createUser('Two Browsers');
  const laptop = await watchedContext(browser());
  const phone = await watchedContext(browser(), { locale: 'pt-BR' });
  try {
    const phonePage = await phone.newPage();
    await logIn(phonePage, user);
    const page = await laptop.newPage();
    await logIn(page, user);
    await Promise.all([page.waitForURL(`${baseUrl}/sessions`), page.click('a[href="/sessions"]')]);
    assert.equal((await page.textContent('h1')).trim(), 'Your sessions');
    assert.equal(await page.locator('tbody tr').count(), 2);
    assert.equal((await page.textContent('tbody tr:has(.role)')).includes('This session'), true);
    await Promise.all([page.waitForURL(`${baseUrl}/sessions`),
                       page.click('tbody tr:not(:has(.role)) button[type=submit]')]);
    assert.equal(await page.locator('tbody tr').count(), 1);
    await phonePage.goto(`${baseUrl}/home`);
    assert.equal(phonePage.url(), `${baseUrl}/login`);
    assert.equal((await phonePage.textContent('h1')).trim(), 'Entrar');
    assertNoProblems(laptop);
    assertNoProblems(phone);
  } finally {
    await laptop.close();
    await phone.close();
  }
});

// Failed logins of one account, sent straight to the server, until the account's growing delay
// is longer than a browser needs to submit the form once more.
async function failLoginsUntilDelayed(username, failures) {
  let counted = 0;
  for (let i = 0; counted < failures && i < 40; i++) {
    const r = await fetch(`${baseUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: 'wrong-password' }),
    });
    if (r.status === 303) counted++;
    else if (r.status === 429) await new Promise((ok) => setTimeout(ok, 1000 * Number(r.headers.get('retry-after') || 1)));
    else assert.fail(`unexpected ${r.status}`);
  }
  assert.equal(counted, failures);
}

for (const [locale, title, message] of [
  ['en-US', 'Please wait a moment', /^Too many requests\. Try again in \d+ seconds\.$/],
  ['pt-BR', 'Aguarde um momento', /^Muitas tentativas\. Tente de novo em \d+ segundos\.$/],
]) {
  test(`too many failed logins show the 429 page (${locale})`, async () => {
    const user = await createUser('Rate Limited');
    // The delay is now 16 s: room for a browser to start on a loaded machine (4 s was not).
    await failLoginsUntilDelayed(user.username, 9);
    await withPage({ locale }, async (page) => {
      await page.goto(`${baseUrl}/login`);
      await page.fill('#username', user.username);
      await page.fill('#password', user.password);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${baseUrl}/login` && r.request().method() === 'POST'),
        page.click('button[type=submit]'),
      ]);
      assert.equal(response.status(), 429);
      assert.equal((await page.textContent('h1')).trim(), title);
      assert.match((await page.textContent('.error-page .muted')).trim(), message);
      await screenshot(page, `error-429-${locale}-1280`);
    });
  });
}
