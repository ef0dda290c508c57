// docs/openapi.yaml against the official OpenAPI 3.0 JSON schema (@seriousme/openapi-schema-validator),
// and the rules the document keeps: an operationId on every operation, 503 everywhere a worker
// answers, 429 wherever a rate limit applies, both session cookie names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse } from 'yaml';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'openapi.yaml');
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function operations(doc) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    methods.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), op: item[m] })));
}

test('the document validates against the official OpenAPI 3.0 schema', async () => {
  const validator = new Validator();
  const result = await validator.validate(file);
  assert.equal(validator.version, '3.0');
  assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2));
  assert.equal(result.valid, true);
  // Every $ref resolves.
  assert.doesNotThrow(() => validator.resolveRefs());
});

test('every operation has its own operationId', () => {
  const doc = parse(readFileSync(file, 'utf8'));
  const ids = operations(doc).map(({ path, method, op }) => {
    assert.match(op.operationId ?? '', /^[a-z][A-Za-z]+$/, `${method} ${path} has no operationId`);
    return op.operationId;
  });
  assert.equal(new Set(ids).size, ids.length, `duplicate operationIds: ${ids}`);
});

test('503 is documented on every operation, and 429 wherever a rate limit applies', () => {
  const doc = parse(readFileSync(file, 'utf8'));
  for (const { path, method, op } of operations(doc)) {
    assert.ok(op.responses['503'], `${method} ${path} does not document 503`);
    // The login and registration limits, and nginx's per-address rate on everything under /api/
    // and the legacy aliases.
    const limited = path === '/login' || path === '/register' || path.startsWith('/api/') ||
      path === '/users' || path.startsWith('/user/');
    if (limited) assert.ok(op.responses['429'], `${method} ${path} does not document 429`);
  }
});

test('both session cookies are documented, __Host-sid for production', () => {
  const schemes = parse(readFileSync(file, 'utf8')).components.securitySchemes;
  const cookies = Object.values(schemes).filter((s) => s.in === 'cookie').map((s) => s.name);
  assert.deepEqual(cookies.sort(), ['__Host-sid', 'sid']);
});
