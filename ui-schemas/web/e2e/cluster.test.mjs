// The admin console's cluster page (issue 22) on nodes of its own (web-e2e's ClusterInBrowser):
// a single node (HEARTH_URL_SINGLE) says it is not a cluster and never asks for the cluster's
// placement; a cluster of two processes on one nats-server (HEARTH_URL, process pa, and pb), both
// allowed to own chat, lists both processes with their roles and stores, and chat's lease. The
// sys-admin moves chat to the process that does not own it with the page's move action: the page
// says it moved and how long writes paused, and the lease table shows the new owner (the IT reads
// the lease back from the node). Screenshots: desktop and phone, light and dark, with axe; Ruth,
// the same sys-admin in a Russian browser, sees the page in Russian.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { capture, env, launch, person, signIn, URL } from './tasks-kit.mjs';

const SCRIPT = 'cluster';
const SINGLE = env('HEARTH_URL_SINGLE');
let browser;
let root, ruth, single;

before(async () => {
  browser = await launch();
  const credentials = { email: env('HEARTH_ROOT_EMAIL'), password: env('HEARTH_ROOT_PASSWORD') };
  root = Object.assign(await person(browser, SCRIPT, 'Root'), credentials);
  ruth = Object.assign(await person(browser, SCRIPT, 'Ruth', { locale: 'ru-RU' }), credentials);
  single = Object.assign(await person(browser, SCRIPT, 'Single'), credentials);
});

after(async () => {
  await browser?.close();
});

async function clusterPage(who, base) {
  const { page } = who;
  await page.goto(base);
  await signIn(who);
  await page.goto(`${base}/#/admin/cluster`);
  await page.locator('#page[data-shell] .admin[data-admin="cluster"] #admin-cluster').waitFor();
}

test('a single node says it is not a cluster, and never asks for the placement', async () => {
  const { page } = single;
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('ClusterService') || r.url().includes('/v1/cluster/')) asked.push(r.url()); });
  await clusterPage(single, SINGLE);
  await page.locator('#admin-cluster-off').waitFor();
  assert.match(await page.locator('#admin-cluster-off').textContent(), /not a cluster/);
  assert.deepEqual(asked, []);
  await capture(page, 'admin-cluster-single');
});

test('a cluster: both processes, their roles and stores, chat\'s lease; chat moved in the page', async () => {
  const { page } = root;
  await clusterPage(root, URL);
  const rows = page.locator('#admin-cluster-processes tr[data-process]');
  await page.waitForFunction(() => document.querySelectorAll('#admin-cluster-processes tr[data-process]').length === 2);
  assert.deepEqual((await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.process))).sort(), ['pa', 'pb']);
  const lease = page.locator('#admin-cluster-leases tr[data-lease="chat"]');
  await lease.waitFor();
  const from = await lease.getAttribute('data-holder');
  const to = from === 'pa' ? 'pb' : 'pa';
  const owner = page.locator(`#admin-cluster-processes tr[data-process="${from}"]`);
  assert.equal((await owner.locator('td.holds').textContent()).trim(), 'chat');
  assert.match(await owner.textContent(), /serves clients/);
  assert.match(await owner.textContent(), /may own chat/);
  assert.equal(await owner.locator('li[data-store="chat"]').count(), 1, 'the owner lists its chat store');
  await capture(page, 'admin-cluster');

  await page.selectOption('#admin-move-store', 'chat');
  await page.selectOption('#admin-move-to', to);
  await page.click('#admin-move');
  await page.locator('#admin-cluster-error.field-ok').waitFor({ timeout: 60_000 });
  const said = await page.locator('#admin-cluster-error').textContent();
  assert.match(said, new RegExp(`Store chat moved from ${from} to ${to}; its writes paused \\d+ ms\\.`));
  await page.locator(`#admin-cluster-leases tr[data-lease="chat"][data-holder="${to}"]`).waitFor();
  await capture(page, 'admin-cluster-moved', { show: '#admin-cluster-error' });
  console.log(`MOVED chat ${from} ${to}`);

  // Moving it to the process that owns it already changes nothing, and says so.
  await page.selectOption('#admin-move-to', to);
  await page.click('#admin-move');
  await page.locator('#admin-cluster-error.field-ok', { hasText: 'already owns' }).waitFor();
});

test('in Russian', async () => {
  const { page } = ruth;
  await clusterPage(ruth, URL);
  await page.locator('#admin-cluster-leases tr[data-lease="chat"]').waitFor();
  assert.match(await page.locator('#admin-cluster-title').textContent(), /Кластер/);
  assert.match(await page.locator('#admin-cluster-processes').textContent(), /обслуживает клиентов/);
  await capture(page, 'admin-cluster-ru');
});
