// The account pages in a real browser, in both languages, reading the mails the stack sends from
// the mail sink's Maildir (TEST_MAIL_DIR): password recovery (also without JavaScript), email
// verification from the home page banner, setting up two-step verification and logging in with a
// code (computed by Debian's oathtool), and an admin's actions on a user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { baseUrl, createUser, logIn, makeAdmin, screenshot, useBrowser } from './lib.mjs';

const { withPage } = useBrowser();

const mailDir = process.env.TEST_MAIL_DIR;

// The decoded text/plain part of a raw message.
function plainText(raw) {
  const at = raw.indexOf('Content-Type: text/plain');
  const body = raw.indexOf('\n\n', at) + 2;
  const end = raw.indexOf('\n--', body);
  return Buffer.from(raw.slice(body, end).replace(/\s+/g, ''), 'base64').toString('utf8');
}

// Waits for the next mail to `to` and takes it (moves it to cur/); its plain text.
async function waitForMail(to, seconds = 20) {
  assert.ok(mailDir, 'TEST_MAIL_DIR is needed (make test sets it)');
  const fresh = join(mailDir, 'new');
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    for (const name of existsSync(fresh) ? readdirSync(fresh) : []) {
      const raw = readFileSync(join(fresh, name), 'utf8');
      if (!raw.includes(`\nTo: ${to}\n`)) continue;
      renameSync(join(fresh, name), join(mailDir, 'cur', name));
      return plainText(raw);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no mail to ${to} within ${seconds} s`);
}

function linkIn(text, path) {
  const m = text.match(new RegExp(`${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${path}\\?token=[A-Za-z0-9_-]+`));
  assert.ok(m, `no ${path} link in: ${text}`);
  return m[0];
}

function oathtool(secret, offsetSeconds = 0) {
  const at = Math.floor(Date.now() / 1000) + offsetSeconds;
  return execFileSync('oathtool', ['--totp', '-b', '-N', `@${at}`, secret], { encoding: 'utf8' }).trim();
}

const languages = [
  { lang: 'en', locale: 'en-US', sent: 'Check your inbox', done: 'Your password was changed',
    verified: 'Your email address is confirmed', codes: 'Your recovery codes', disabled: 'The account was disabled' },
  { lang: 'pt-BR', locale: 'pt-BR', sent: 'Confira sua caixa de entrada', done: 'Sua senha foi alterada',
    verified: 'Seu e-mail está confirmado', codes: 'Seus códigos de recuperação', disabled: 'A conta foi desativada' },
];

for (const l of languages) {
  for (const javaScriptEnabled of [true, false]) {
    test(`${l.lang}${javaScriptEnabled ? '' : ' without JavaScript'}: recovery from the login page, through the mail, to a new password`, async () => {
      const user = await createUser('Recovering Person', 'rec');
      const email = `${user.username}@example.com`;
      await withPage({ locale: l.locale, javaScriptEnabled }, async (page) => {
        await page.goto(`${baseUrl}/login`);
        await Promise.all([page.waitForURL(`${baseUrl}/password/forgot`), page.click('a[href="/password/forgot"]')]);
        assert.equal(await page.getAttribute('html', 'lang'), l.lang);
        if (l.lang === 'en' && javaScriptEnabled) await screenshot(page, 'forgot');
        await page.fill('#identifier', email);
        await page.click('button[type=submit]');
        await page.getByRole('heading', { name: l.sent }).waitFor();
        const link = linkIn(await waitForMail(email), '/password/reset');
        await page.goto(link);
        await page.fill('#new_password', 'a-brand-new-password');
        await page.click('button[type=submit]');
        await page.getByRole('heading', { name: l.done }).waitFor();
        // The link is used up, and the new password logs in.
        const again = await page.goto(link);
        assert.equal(again.status(), 400);
        await logIn(page, { ...user, password: 'a-brand-new-password' });
      });
    });
  }

  test(`${l.lang}: the home page banner sends a verification link again and the link confirms the address`, async () => {
    const user = await createUser('Verifying Person', 'ver');
    const email = `${user.username}@example.com`;
    await withPage({ locale: l.locale }, async (page) => {
      await logIn(page, user);
      const resend = page.locator('form[action="/email/verify/resend"] button');
      await resend.click();
      await page.waitForURL(`${baseUrl}/home?email=sent`);
      const link = linkIn(await waitForMail(email), '/email/verify');
      await page.goto(link);
      await page.getByRole('heading', { name: l.verified }).waitFor();
      await page.goto(`${baseUrl}/home`);
      assert.equal(await page.locator('form[action="/email/verify/resend"]').count(), 0);
    });
  });

  test(`${l.lang}: setting up two-step verification, then logging in with a code`, async () => {
    const user = await createUser('Two Step Person', 'mfa');
    await withPage({ locale: l.locale }, async (page) => {
      await logIn(page, user);
      await Promise.all([page.waitForURL(`${baseUrl}/mfa`), page.click('a[href="/mfa"]')]);
      await Promise.all([page.waitForURL(`${baseUrl}/mfa`), page.click('form[action="/mfa/totp"] button')]);
      // The QR code is an image from our own origin: it loads under the strict CSP.
      const img = page.locator('img[src="/mfa/totp/qr.svg"]');
      await img.waitFor();
      assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the QR image did not load');
      if (l.lang === 'en') await screenshot(page, 'mfa-setup');
      const secret = (await page.locator('code.secret').textContent()).replace(/\s+/g, '');
      await page.fill('#code', oathtool(secret));
      await page.click('form[action="/mfa/totp/confirm"] button');
      await page.getByRole('heading', { name: l.codes }).waitFor();
      assert.equal(await page.locator('ul.recovery-codes li').count(), 10);
      if (l.lang === 'en') await screenshot(page, 'mfa-recovery-codes');
      // Log out, then in again: the password leads to the code page.
      await page.goto(`${baseUrl}/home`);
      await Promise.all([page.waitForURL(`${baseUrl}/login`), page.click('form.logout button')]);
      await page.fill('#username', user.username);
      await page.fill('#password', user.password);
      await Promise.all([page.waitForURL(`${baseUrl}/login/mfa`), page.click('button[type=submit]')]);
      if (l.lang === 'en') await screenshot(page, 'login-mfa');
      await page.fill('#code', '000000');
      await page.click('button[type=submit]');
      assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
      await page.fill('#code', oathtool(secret, 30));  // the next step: never used before
      await Promise.all([page.waitForURL(`${baseUrl}/home`), page.click('button[type=submit]')]);
    });
  });

  test(`${l.lang}: an admin finds a user, disables and enables them, and sends a recovery mail`, async () => {
    const admin = await createUser('Admin Person', 'adm');
    makeAdmin(admin.username);
    const target = await createUser('Managed Person', 'mgd');
    await withPage({ locale: l.locale }, async (page) => {
      await logIn(page, admin);
      await page.goto(`${baseUrl}/admin`);
      await page.fill('#q', target.username);
      await Promise.all([page.waitForURL(/\/admin\?q=/), page.click('form.search button')]);
      await Promise.all([page.waitForURL(/\/admin\/users\/\d+$/), page.click(`a:text("${target.username}")`)]);
      await page.click('form[action$="/enabled"] button');
      await page.waitForURL(/done=disabled/);
      assert.match(await page.locator('.banner').textContent(), new RegExp(l.disabled));
      if (l.lang === 'en') await screenshot(page, 'admin-user');
      await page.click('form[action$="/enabled"] button');
      await page.waitForURL(/done=enabled/);
      await page.click('form[action$="/recovery-mail"] button');
      await page.waitForURL(/done=recovery/);
      linkIn(await waitForMail(`${target.username}@example.com`), '/password/reset');
    });
  });
}
