// Registration in a real browser: a short password gives an inline error next to the field with
// every other field kept, from the script before submitting and from the server after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { baseUrl, deleteAtEnd, useBrowser } from './lib.mjs';

const { withPage } = useBrowser();

function typedForm() {
  const username = `reg-${randomBytes(5).toString('hex')}`;
  deleteAtEnd(username);  // in case a test creates it
  return { username, display_name: 'Short Password', email: `${username}@example.com`, password: 'elevenchars' };
}

async function fill(page, form) {
  for (const [name, value] of Object.entries(form)) await page.fill(`#${name}`, value);
}

async function assertKept(page, form) {
  assert.equal(await page.inputValue('#username'), form.username);
  assert.equal(await page.inputValue('#display_name'), form.display_name);
  assert.equal(await page.inputValue('#email'), form.email);
}

test('short password: the script shows an inline error tied to the field and does not submit', async () => {
  await withPage({}, async (page) => {
    await page.goto(`${baseUrl}/register`);
    const form = typedForm();
    await fill(page, form);
    await page.click('button[type=submit]');
    const error = page.locator('#password-error');
    await error.waitFor({ state: 'visible' });
    assert.equal((await error.textContent()).trim(), 'Use at least 12 characters.');
    assert.equal(await error.getAttribute('aria-live'), 'polite');
    assert.equal(await page.getAttribute('#password', 'aria-describedby'), 'password-error');
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
    assert.equal(page.url(), `${baseUrl}/register`);
    await assertKept(page, form);
    // The valid fields carry no error.
    assert.equal(await page.getAttribute('#username', 'aria-invalid'), null);
    // Typing a long enough password clears the error at once.
    await page.fill('#password', 'long-enough-password');
    await error.waitFor({ state: 'hidden' });
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), null);
  });
});

test('short password past the browser: the server re-shows the form with the error and the fields kept', async () => {
  await withPage({}, async (page) => {
    await page.goto(`${baseUrl}/register`);
    const form = typedForm();
    await fill(page, form);
    // Take away the client-side limit so that the server's own check is what answers.
    await page.$eval('#password', (el) => el.removeAttribute('minlength'));
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await page.locator('#password-error').waitFor();
    assert.equal(page.url(), `${baseUrl}/register`);
    assert.equal((await page.textContent('#password-error')).trim(), 'Password must be at least 12 characters.');
    assert.equal(await page.getAttribute('#password-error', 'role'), 'alert');
    assert.equal(await page.getAttribute('#password', 'aria-describedby'), 'password-error');
    await assertKept(page, form);
    assert.equal(await page.inputValue('#password'), '');  // never echoed back
    assert.equal(await page.getAttribute('#display_name', 'aria-invalid'), null);
  });
});

test('short password without JavaScript: the browser refuses to submit the form', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto(`${baseUrl}/register`);
    const form = typedForm();
    await fill(page, form);
    await page.click('button[type=submit]');
    await page.waitForTimeout(300);
    assert.equal(page.url(), `${baseUrl}/register`);
    assert.equal(await page.$eval('#password', (el) => el.validity.tooShort), true);
    await assertKept(page, form);
  });
});

test('a good registration logs the new user in and greets them', async () => {
  await withPage({}, async (page) => {
    await page.goto(`${baseUrl}/register`);
    const form = { ...typedForm(), display_name: 'Brand New', password: 'a-good-long-password' };
    await fill(page, form);
    await Promise.all([page.waitForURL(`${baseUrl}/home`), page.click('button[type=submit]')]);
    assert.equal((await page.textContent('h1')).trim(), 'Welcome, Brand New');
  });
});
