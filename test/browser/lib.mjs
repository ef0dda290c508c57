// Shared pieces of the browser tests: Debian's chromium through playwright-core (never a
// downloaded browser), throw-away users, and a watch on every page for console errors and CSP
// violations. The stack is the one `make test` starts; TEST_BASE_URL says where.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const baseUrl = (() => {
  const url = process.env.TEST_BASE_URL;
  if (!url) throw new Error('TEST_BASE_URL is not set (make test sets it)');
  return url.replace(/\/$/, '');
})();

export const screenshotDir =
  process.env.TEST_SCREENSHOT_DIR || join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

export const password = 'browser-pass-' + randomBytes(6).toString('hex');

// Headless flags that work without network access, a sandbox or a GPU (containers, CI).
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-default-apps', '--disable-sync', '--metrics-recording-only'],
  });
}

// Every console error, uncaught exception and CSP violation of every page of a context lands in
// `problems`; tests assert it stays empty.
export async function watchedContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  context.problems = [];
  if (options.javaScriptEnabled !== false) {
    // Runs in every document before its own scripts; an init script is not subject to the CSP.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
      });
    });
  }
  context.on('page', (page) => watchPage(context, page));
  return context;
}

// Chromium also logs an error status of the page itself (a 404 page, a form re-shown with 422) as
// "Failed to load resource"; the tests assert those statuses themselves, so only failures of
// the resources a page loads (stylesheet, script, icon) count as problems.
function watchPage(context, page) {
  const documents = new Set();
  page.on('response', (r) => {
    if (r.request().isNavigationRequest()) documents.add(r.url());
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (msg.text().startsWith('Failed to load resource') && documents.has(msg.location().url)) return;
    context.problems.push(`${page.url()}: console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => context.problems.push(`${page.url()}: uncaught: ${err.message}`));
}

export function assertNoProblems(context) {
  assert.deepEqual(context.problems, [], 'console errors or CSP violations');
}

const created = [];

// Deletes an account that a test made through the pages at the end of the file.
export function deleteAtEnd(username) {
  created.push(username);
}

// A fresh account with the given display name, inserted straight into the stack's database like
// the e2e tests' users (registering through the pages would spend the client's hourly
// registration budget). The password is hashed once per file by the real binary with cheap
// scrypt parameters; the server accepts any valid hash and rehashes it at login.
let passwordHash;
export async function createUser(displayName, prefix = 'br') {
  const username = `${prefix}-${randomBytes(5).toString('hex')}`;
  passwordHash ??= execFileSync(loginBin(), ['hash-password'], {
    input: password, encoding: 'utf8', env: { ...process.env, LOGIN_SCRYPT_N: '1024' },
  }).trim();
  psql("INSERT INTO users (username, display_name, email, password_hash, roles) " +
       "VALUES (:'u', :'d', :'u' || '@example.com', :'h', '{user}') RETURNING id;",
       username, { d: displayName, h: passwordHash });
  created.push(username);
  return { username, displayName, password };
}

function loginBin() {
  return process.env.TEST_LOGIN_BIN ||
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'fcgi-app', 'login-fcgi');
}

// The suites before this one share the client address 127.0.0.1 and its per-network budgets
// (registrations, failed logins); each browser test file starts with them cleared, so that it
// does not depend on what ran before it. Per-account counters are left alone.
export function resetClientLimits() {
  const redis = process.env.TEST_REDIS_URL;
  const prefix = process.env.TEST_KEY_PREFIX || 'login:';
  for (const kind of ['reg', 'nf']) {
    const keys = execFileSync('redis-cli', ['-u', redis, '--scan', '--pattern', `${prefix}rl:${kind}:*`],
      { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (keys.length) execFileSync('redis-cli', ['-u', redis, 'DEL', ...keys], { stdio: 'pipe' });
  }
}

// A superuser URL of the stack's application database (TEST_PG_ADMIN_URL names `postgres`).
function adminLoginDbUrl() {
  const url = process.env.TEST_PG_ADMIN_URL;
  return url ? url.replace(/\/[^/]*$/, '/login') : null;
}

// Runs SQL as the database superuser; :'u' in it is the username and :'<name>' each of vars,
// quoted by psql.
function psql(sql, username, vars = {}) {
  const url = adminLoginDbUrl();
  assert.ok(url, 'TEST_PG_ADMIN_URL is needed for this test');
  const args = [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-v', `u=${username}`];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  return execFileSync('psql', args, { input: sql, encoding: 'utf8' }).trim();
}

// Drops a user's cached profile, as the app does after a change (profiles live in the cache
// Redis when the stack runs one).
function dropCachedProfile(id) {
  const redis = process.env.TEST_CACHE_REDIS_URL || process.env.TEST_REDIS_URL;
  if (!redis || !id) return;
  execFileSync('redis-cli', ['-u', redis, 'DEL', `${process.env.TEST_KEY_PREFIX || 'login:'}p:${id}`],
    { stdio: 'pipe' });
}

// Gives a test account the admin role (the only way to an admin is the database).
export function makeAdmin(username) {
  dropCachedProfile(psql("UPDATE users SET roles = '{admin,user}' WHERE username = :'u' RETURNING id;", username));
}

// The accounts of this file are deleted at the end, with their cached profiles.
after(() => {
  if (!adminLoginDbUrl()) return;
  for (const username of created) {
    try {
      dropCachedProfile(psql("DELETE FROM users WHERE username = :'u' RETURNING id;", username));
    } catch (e) {
      console.error(`cleanup of ${username} failed: ${e.message}`);
    }
  }
});

// Logs in through the form, as a person would.
export async function logIn(page, user) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForURL(`${baseUrl}/home`), page.click('button[type=submit]')]);
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

// One browser for a test file, started before its tests (with the client's rate-limit counters
// cleared) and closed after them. Returns withPage(options, fn): fn(page, context) runs in a fresh
// watched context, which must end without console errors or CSP violations. Pages that need the
// browser itself read it from browser().
export function useBrowser() {
  let browser;
  before(async () => {
    resetClientLimits();
    browser = await launch();
  });
  after(async () => { await browser?.close(); });
  async function withPage(options, fn) {
    const context = await watchedContext(browser, options);
    try {
      const page = await context.newPage();
      await fn(page, context);
      assertNoProblems(context);
    } finally {
      await context.close();
    }
  }
  return { withPage, browser: () => browser };
}
