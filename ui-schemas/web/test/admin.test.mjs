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
    ['#/admin/cluster', { kind: 'node', section: 'cluster' }],
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

test('every state the console shows has its words in en and ru: each value of the protos\' enums, and the modules\' states', async () => {
  const { readFileSync } = await import('node:fs');
  const states = buildSync({ entryPoints: [join(HERE, '../src/admin/states.ts')], bundle: true, format: 'esm', write: false, platform: 'neutral' });
  const { STATES, stateKey } = await import(`data:text/javascript;base64,${Buffer.from(states.outputFiles[0].text).toString('base64')}`);
  const root = join(HERE, '../../..');
  const strings = (f) => JSON.parse(readFileSync(join(root, 'ui-schemas/src/main/resources/dev/hearth/ui/strings', f), 'utf8'));
  const en = strings('shell.json');
  const ru = strings('shell_ru.json');
  /** The value names of `enum <name>` in a proto file. */
  const values = (proto, name) => {
    const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(readFileSync(join(root, 'proto/hearth', proto), 'utf8'));
    assert.ok(body, `enum ${name} in ${proto}`);
    return [...body[1].matchAll(/^\s*([A-Z][A-Z_]*)\s*=/gm)].map((m) => m[1]);
  };
  const shown = {
    link: values('federation/v1/fed.proto', 'LinkState'),
    share: values('federation/v1/fed.proto', 'ShareState'),
    webhook: values('webhooks/v1/webhooks.proto', 'WebhookState'),
    delivery: values('webhooks/v1/webhooks.proto', 'DeliveryStatus'),
    // ModuleHost's and UserModulesApi's states (strings, not an enum).
    module: ['STARTED', 'STOPPED', 'FAILED'],
  };
  assert.deepEqual(Object.keys(STATES).sort(), Object.keys(shown).sort());
  assert.deepEqual(shown.link, ['LINK_STATE_UNSPECIFIED', 'ACTIVE', 'PAUSED', 'REMOVED']);
  for (const [kind, names] of Object.entries(shown)) {
    for (const name of [...names, undefined, '']) {
      const key = stateKey(kind, name);
      assert.ok(en[key], `en has ${key}`);
      assert.ok(ru[key], `ru has ${key}`);
      assert.notEqual(ru[key], en[key], `${key} is translated`);
    }
  }
  assert.equal(stateKey('link', 'PAUSED'), 'admin.fed.state.PAUSED');
  assert.equal(stateKey('share', ''), 'admin.fed.shareState.SHARE_STATE_UNSPECIFIED');
});
