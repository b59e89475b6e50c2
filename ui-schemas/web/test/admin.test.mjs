// The admin console's pure part (src/admin/route.ts): its routes, and who is offered the console.
// The browser test (e2e/tasks-admin.test.mjs) covers the pages and the node's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const bundle = buildSync({
  stdin: { contents: "export * from './route';", resolveDir: join(HERE, '../src/admin'), loader: 'ts' },
  bundle: true, format: 'esm', write: false, platform: 'neutral',
});
const { adminHref, adminRoute, mayAdminister } =
  await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

test('admin routes parse and print back; the designer and unknown sections are not the console\'s', () => {
  for (const [hash, route] of [
    ['#/admin', { kind: 'home' }], ['#/admin/', { kind: 'home' }],
    ['#/admin/users', { kind: 'node', section: 'users' }], ['#/admin/backups', { kind: 'node', section: 'backups' }],
    ['#/admin/o/org%201', { kind: 'org', org: 'org 1' }], ['#/admin/p/p-9', { kind: 'project', project: 'p-9' }],
  ]) {
    assert.deepEqual(adminRoute(hash), route, hash);
    assert.deepEqual(adminRoute(adminHref(route)), route);
  }
  for (const hash of ['#/admin/designer', '#/admin/designer/inventory', '#/admin/nope', '#/admin/o', '#/p/x/chat/channel', '']) {
    assert.equal(adminRoute(hash), undefined, hash);
  }
});

test('the console is offered to sys-admins, org-admins and project-admins only', () => {
  const user = (sysAdmin, ...roles) => ({ userId: 'u', displayName: '', email: '', sysAdmin,
    memberships: roles.map((role) => ({ userId: 'u', orgId: 'o', projectId: role === 'org-admin' ? '' : 'p', role, displayName: '' })) });
  assert.equal(mayAdminister(user(true)), true);
  assert.equal(mayAdminister(user(false, 'org-admin')), true);
  assert.equal(mayAdminister(user(false, 'project-user', 'project-admin')), true);
  assert.equal(mayAdminister(user(false, 'project-user')), false);
  assert.equal(mayAdminister(user(false)), false);
});
