// Every status the running stack answers on an operation of docs/openapi.yaml is documented for
// that operation: a table of requests (good ones and each kind of mistake) against the make test
// stack (TEST_BASE_URL), each answer's status looked up in the document.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const doc = parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs',
                                    'openapi.yaml'), 'utf8'));
const base = (process.env.TEST_BASE_URL ?? '').replace(/\/$/, '');
const token = 'dev-reporting-token-0123456789abcdef';  // the demo client (users:read), seeded by make test
const name = 'oas' + randomBytes(5).toString('hex');
const password = 'openapi-pass-' + randomBytes(6).toString('hex');
const seen = [];  // [operation, status]

function documented(method, path) {
  const op = doc.paths[path]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${path} is not in docs/openapi.yaml`);
  return op;
}

// Sends one request for the operation (METHOD, documented path) to url and records its status.
async function call(method, path, url, { headers = {}, body, json } = {}) {
  documented(method, path);
  const init = { method, headers: { ...headers }, redirect: 'manual' };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof json === 'string' ? json : JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  const r = await fetch(base + url, init);
  await r.arrayBuffer();
  seen.push([`${method} ${path}`, r.status]);
  return r;
}

const bearer = { Authorization: `Bearer ${token}` };
let sid = '';
const session = () => ({ Cookie: `sid=${sid}` });

after(() => {
  execFileSync('psql', [process.env.TEST_PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, '/login$1'), '-X', '-q',
                        '-c', `DELETE FROM users WHERE username = '${name}'`]);
});

test('the statuses the stack answers are the ones the document lists', async () => {
  assert.ok(base, 'TEST_BASE_URL is not set (make test sets it)');
  // Registration and login, JSON and form.
  const reg = { username: name, display_name: 'OpenAPI', email: `${name}@example.com`, password };
  await call('POST', '/register', '/register', { json: { ...reg, password: 'short' } });
  await call('POST', '/register', '/register', { json: '{"username":' });
  await call('POST', '/register', '/register', { body: 'x', headers: { 'Content-Type': 'text/plain' } });
  const created = await call('POST', '/register', '/register', { json: reg });
  assert.equal(created.status, 201);
  await call('POST', '/register', '/register', { json: reg });  // taken: 422
  await call('POST', '/login', '/login', { json: { username: name, password: 'wrong-' + password } });
  await call('POST', '/login', '/login', { json: { username: name } });
  await call('POST', '/login', '/login', {
    body: `username=${name}&password=${password}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const login = await call('POST', '/login', '/login', { json: { username: name, password } });
  assert.equal(login.status, 200);
  sid = /(?:^|, )sid=([^;]+)/.exec(login.headers.get('set-cookie'))[1];
  await call('POST', '/login', '/login', {
    json: { username: name, password }, headers: { 'Sec-Fetch-Site': 'cross-site' } });

  // The signed-in user.
  await call('GET', '/api/v1/me', '/api/v1/me');
  await call('GET', '/api/v1/me', '/api/v1/me', { headers: session() });
  await call('PATCH', '/api/v1/me', '/api/v1/me', { headers: session(), json: { display_name: 'O' } });
  await call('PATCH', '/api/v1/me', '/api/v1/me', { headers: session(), json: { display_name: '' } });
  await call('PATCH', '/api/v1/me', '/api/v1/me', { headers: session(), json: { nickname: 'x' } });
  await call('PATCH', '/api/v1/me', '/api/v1/me', { headers: session(), json: { email: 'new@example.com' } });
  await call('PATCH', '/api/v1/me', '/api/v1/me', {
    headers: { ...session(), 'Content-Type': 'text/plain' }, body: 'x' });
  await call('PATCH', '/api/v1/me', '/api/v1/me', { json: { display_name: 'O' } });
  await call('PATCH', '/api/v1/me', '/api/v1/me', {
    headers: { ...session(), 'Sec-Fetch-Site': 'cross-site' }, json: { display_name: 'O' } });
  await call('POST', '/api/v1/me/password', '/api/v1/me/password', {
    headers: session(), json: { current_password: 'not-it-' + password, new_password: password + '-2' } });
  await call('POST', '/api/v1/me/password', '/api/v1/me/password', { json: {} });
  await call('GET', '/api/v1/me/sessions', '/api/v1/me/sessions', { headers: session() });
  await call('GET', '/api/v1/me/sessions', '/api/v1/me/sessions');
  await call('DELETE', '/api/v1/me/sessions/{id}', '/api/v1/me/sessions/' + 'f'.repeat(64), { headers: session() });
  await call('DELETE', '/api/v1/me/sessions/{id}', '/api/v1/me/sessions/x');
  await call('DELETE', '/api/v1/me/sessions', '/api/v1/me/sessions', { headers: session() });
  await call('DELETE', '/api/v1/me/sessions', '/api/v1/me/sessions');

  // The API of client applications, and its legacy aliases.
  for (const [list, one] of [['/api/v1/users', '/api/v1/users/{id}'], ['/users', '/user/{id}']]) {
    const prefix = one.replace('{id}', '');
    await call('GET', list, list + '?limit=2', { headers: bearer });
    await call('GET', list, list + '?limit=0', { headers: bearer });
    await call('GET', list, list + '?colour=red', { headers: bearer });
    await call('GET', list, list, {});
    await call('GET', list, list, { headers: { Authorization: 'Bearer wrong' } });
    await call('GET', list, list, { headers: { ...bearer, Accept: 'text/html' } });
    const user = await call('GET', one, prefix + '1', { headers: bearer });
    await call('GET', one, prefix + '1', { headers: { ...bearer, 'If-None-Match': user.headers.get('etag') } });
    await call('GET', one, prefix + '999999999999', { headers: bearer });
    await call('GET', one, prefix + 'abc', { headers: bearer });
    await call('GET', one, prefix + '1', {});
  }
  await call('PATCH', '/api/v1/users/{id}', '/api/v1/users/1', { headers: bearer, json: { enabled: true } });
  await call('PATCH', '/api/v1/users/{id}', '/api/v1/users/1', { json: { enabled: true } });

  // Logout, JSON and form (a form without its csrf_token is refused).
  await call('POST', '/logout', '/logout', {
    headers: { ...session(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
  await call('POST', '/logout', '/logout', { headers: { ...session(), Accept: 'application/json' } });
  await call('POST', '/logout', '/logout', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });

  const undocumented = seen.filter(([op, status]) => {
    const [method, path] = op.split(' ');
    return !documented(method, path).responses[String(status)];
  });
  assert.deepEqual(undocumented, [], 'statuses the document does not list');
  // The table reached a broad set of answers (a stack that answered everything with one status
  // would pass the check above trivially).
  const statuses = new Set(seen.map(([, s]) => s));
  for (const s of [200, 201, 204, 303, 304, 400, 401, 403, 404, 406, 415, 422])
    assert.ok(statuses.has(s), `no request answered ${s}: ${[...statuses]}`);
});
