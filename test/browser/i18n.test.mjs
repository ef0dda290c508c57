// Both languages in a real browser: Accept-Language picks pt-BR or English, the switch link
// remembers the choice in the lang cookie (without JavaScript too), and dates follow the language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, createUser, logIn, useBrowser } from './lib.mjs';

const { withPage } = useBrowser();

const h1 = async (page) => (await page.textContent('h1')).trim();
const lang = (page) => page.getAttribute('html', 'lang');

test('a browser that prefers Portuguese gets every page in pt-BR', async () => {
  const user = await createUser('Usuária Um');
  await withPage({ locale: 'pt-BR' }, async (page) => {
    await page.goto(`${baseUrl}/login`);
    assert.equal(await lang(page), 'pt-BR');
    assert.equal(await h1(page), 'Entrar');
    assert.equal(await page.textContent('label[for=password]'), 'Senha');
    // The generic error in Portuguese.
    await page.fill('#username', user.username);
    await page.fill('#password', 'senha-errada');
    await Promise.all([page.waitForURL(/error=1/), page.click('button[type=submit]')]);
    assert.equal((await page.textContent('[role=alert]')).trim(), 'Nome de usuário ou senha inválidos.');
    await page.goto(`${baseUrl}/register`);
    assert.equal(await h1(page), 'Criar uma conta');
    await logIn(page, user);
    assert.equal(await lang(page), 'pt-BR');
    assert.equal(await h1(page), 'Olá, Usuária Um');
    assert.match(await page.textContent('dl.profile time'), /^\d{1,2} de [a-zç]+ de \d{4}, \d{2}:\d{2} \(UTC\)$/);
    assert.match(await page.textContent('dl.profile'), /usuário/);
    await page.goto(`${baseUrl}/profile`);
    assert.equal(await h1(page), 'Editar perfil');
    await page.goto(`${baseUrl}/password`);
    assert.equal(await h1(page), 'Alterar senha');
    const notFound = await page.goto(`${baseUrl}/nao-existe`);
    assert.equal(notFound.status(), 404);
    assert.equal(await h1(page), 'Página não encontrada');
  });
});

test('a browser that prefers English gets English', async () => {
  const user = await createUser('English Person');
  await withPage({ locale: 'en-GB' }, async (page) => {
    await page.goto(`${baseUrl}/login`);
    assert.equal(await lang(page), 'en');
    assert.equal(await h1(page), 'Log in');
    await logIn(page, user);
    assert.equal(await h1(page), 'Welcome, English Person');
    const notFound = await page.goto(`${baseUrl}/no-such-page`);
    assert.equal(notFound.status(), 404);
    assert.equal(await h1(page), 'Page not found');
  });
});

test('the language switch is remembered across pages and over Accept-Language', async () => {
  const user = await createUser('Switcher');
  await withPage({ locale: 'en-US' }, async (page, context) => {
    await page.goto(`${baseUrl}/login`);
    assert.equal(await h1(page), 'Log in');
    await Promise.all([page.waitForURL(`${baseUrl}/login`), page.click('.lang-switch a[hreflang="pt-BR"]')]);
    assert.equal(await h1(page), 'Entrar');
    const cookie = (await context.cookies()).find((c) => c.name === 'lang');
    assert.equal(cookie?.value, 'pt-BR');
    assert.ok(cookie.expires - Date.now() / 1000 > 300 * 24 * 3600, 'remembered for about a year');
    // The worker-rendered pages follow the same choice.
    await logIn(page, user);
    assert.equal(await h1(page), 'Olá, Switcher');
    // And back to English from home, which returns to home.
    await Promise.all([page.waitForURL(`${baseUrl}/home`), page.click('.lang-switch a[hreflang="en"]')]);
    assert.equal(await h1(page), 'Welcome, Switcher');
    await page.goto(`${baseUrl}/register`);
    assert.equal(await h1(page), 'Create an account');
  });
});

test('the language switch works without JavaScript', async () => {
  await withPage({ locale: 'en-US', javaScriptEnabled: false }, async (page) => {
    await page.goto(`${baseUrl}/register`);
    await Promise.all([page.waitForURL(`${baseUrl}/register`), page.click('.lang-switch a')]);
    assert.equal(await h1(page), 'Criar uma conta');
  });
});

test('the switch only ever returns to one of our pages', async () => {
  const tries = ['https://evil.example/', '//evil.example/', '/\\evil.example', '/home/../../x', '/home%0d%0aX:1'];
  for (const next of [...tries, ...tries.map(encodeURIComponent)]) {
    const r = await fetch(`${baseUrl}/lang/pt-BR?next=${next}`, { redirect: 'manual' });
    assert.equal(r.status, 303, next);
    assert.equal(r.headers.get('location'), '/', next);
  }
  const r = await fetch(`${baseUrl}/lang/pt-BR?next=/register`, { redirect: 'manual' });
  assert.equal(r.headers.get('location'), '/register');
  assert.match(r.headers.get('set-cookie'), /^lang=pt-BR; Path=\/; Max-Age=31536000; SameSite=Lax/);
  const unknown = await fetch(`${baseUrl}/lang/fr`, { redirect: 'manual' });
  assert.equal(unknown.status, 404);
});

test('a JavaScript-enhanced form speaks the page language', async () => {
  await withPage({ locale: 'pt-BR' }, async (page) => {
    await page.goto(`${baseUrl}/login`);
    await page.click('button[type=submit]');
    await page.locator('#username-error').waitFor({ state: 'visible' });
    assert.equal((await page.textContent('#username-error')).trim(), 'Preencha este campo.');
    assert.equal(await page.getAttribute('button.reveal', 'aria-label'), 'Mostrar senha');
  });
});
