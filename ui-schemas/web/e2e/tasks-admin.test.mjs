// Tasks 28–30 of WEB-CLIENT.md through the UI (WebTasksIT runs this script against a node of its
// own, beside the others: it turns registration, read-only mode and the project-admins' user-module
// grant on and off, stops a module and installs a plugin, which the whole node sees). The sys-admin
// is the one WebTasksIT made with the node's bootstrap (`hearth admin create-sysadmin`), passed in
// HEARTH_SYSADMIN_EMAIL / HEARTH_SYSADMIN_PASSWORD. Set-up over the API (tasks-kit): Olga
// (org-admin) makes an org and a project; her invite page makes Pete's invite as its project-admin
// and Mia's as a plain member, and both sign up with them over the API; everyone is signed in
// without the form. Each role sees only its part of the console, and the node refuses the rest
// (read back with the API). Every admin page is screenshotted and checked with axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import {
  capture, cardPage, env, joinFromSidebar, launch, openProject, person, projectOverApi, SHOTS, shellPage, signInOverApi, signUpOverApi, URL,
} from './tasks-kit.mjs';

const SCRIPT = 'admin';
const ROOT = { email: env('HEARTH_SYSADMIN_EMAIL'), password: env('HEARTH_SYSADMIN_PASSWORD') };
let browser;
let root, olga, pete, mia, dan;
const made = {};
/** Every 404 any page met (a stopped module's page is one); none may be federation's on a node without it. */
const notFound = [];
/** What the webhook receiver got: delivery ids in order. */
const received = [];
let receiver;

before(async () => {
  browser = await launch();
  root = await person(browser, SCRIPT, 'Root');
  Object.assign(root, ROOT);
  olga = await person(browser, SCRIPT, 'Olga');
  pete = await person(browser, SCRIPT, 'Pete');
  mia = await person(browser, SCRIPT, 'Mia');
  dan = await person(browser, SCRIPT, 'Dan');
  for (const who of [root, olga, pete, mia, dan]) {
    who.page.on('response', (r) => { if (r.status() === 404) notFound.push(`${who.name}: ${r.url()}`); });
  }
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ id: req.headers['hearth-delivery'], body });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
});

after(async () => {
  writeFileSync(`${SHOTS}/../tasks-admin.json`, JSON.stringify(made, null, 2));
  await browser?.close();
  receiver?.close();
});

/** The node's answer to `method path` as `who` (read back only: the browser did the work). */
async function asUser(who, method, path) {
  const login = await fetch(`${URL}/v1/auth/log-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }) });
  assert.equal(login.status, 200, `${who.email} signs in`);
  const { accessToken } = await login.json();
  const r = await fetch(`${URL}${path}`, { method, headers: { Authorization: `Bearer ${accessToken}` } });
  return { status: r.status, json: await r.json().catch(() => ({})) };
}

async function openMenuEntry(page, present) {
  await page.click('#user-menu summary');
  await page.locator('#sign-out').waitFor();
  assert.equal(await page.locator('#admin-link').count(), present ? 1 : 0, 'the admin entry in the user menu');
  if (present) await page.click('#admin-link');
  else await page.keyboard.press('Escape');
}

async function adminPage(page, name) {
  await page.locator(`#page[data-shell] .admin[data-admin="${name}"]`).waitFor();
}

test('setup: Olga makes an org and a project and invites Pete (project-admin) and Mia (member); Dan signs up', async () => {
  await Promise.all([signUpOverApi(olga), signUpOverApi(dan)]);
  ({ org: made.org, project: made.ops } = await projectOverApi(olga, 'Admin Tasks Org', 'Ops'));
  // The invites with their roles from the invite page (the only invite for a project-admin the scripts make there).
  await olga.page.goto(`${URL}/#/p/${made.ops}/~/invite`);
  await shellPage(olga.page, 'form#invite');
  let previous = '';
  const joined = [];
  for (const [who, role] of [[pete, 'project-admin'], [mia, 'project-user']]) {
    await olga.page.selectOption('#invite-role', role);
    await olga.page.fill('#invite-maxUses', '1');
    await olga.page.click('form#invite button[type=submit]');
    // The page keeps the last link until the new one comes.
    await olga.page.waitForFunction((old) => document.querySelector('#invite-link')?.value && document.querySelector('#invite-link').value !== old, previous);
    const link = previous = await olga.page.locator('#invite-link').inputValue();
    const code = decodeURIComponent(/#\/join\/(.+)$/.exec(link)[1]);
    joined.push(signUpOverApi(who, code).then(() => openProject(who, made.ops)));
  }
  await Promise.all(joined);
  await dan.page.goto(URL);
  await shellPage(dan.page, '.welcome');
});

test('task 28: the sys-admin disables Dan (his sign-in refused with the node\'s words), enables him, resets his password', async () => {
  const { page } = root;
  await signInOverApi(root);
  await page.goto(URL);
  await page.locator('#sidebar').waitFor();
  await openMenuEntry(page, true);
  await adminPage(page, 'home');
  await capture(page, 'admin-home');
  await page.click('#admin-nav-users');
  await adminPage(page, 'users');
  await page.fill('#admin-user-query', dan.email);
  await page.press('#admin-user-query', 'Enter');
  const row = page.locator(`#admin-users li[data-email="${dan.email}"]`);
  await row.waitFor();
  // The unfiltered list (Dan is in it too) may still be on screen: wait for the search's answer.
  await page.waitForFunction(() => document.querySelectorAll('#admin-users li[data-email]').length === 1)
    .catch(() => undefined);
  assert.equal(await page.locator('#admin-users li[data-email]').count(), 1, 'the search finds Dan alone');
  made.dan = await row.getAttribute('data-user');
  await row.locator('[data-action=toggle]').click();
  await page.locator(`#admin-users li[data-email="${dan.email}"][data-disabled=true]`).waitFor();
  await capture(page, 'admin-users');

  // Dan's session ended; signing in again is refused with the node's message.
  await dan.page.reload();
  await dan.page.locator('form#sign-in, form#sign-up').first().waitFor();
  if (await dan.page.locator('form#sign-up').count()) await dan.page.click('#switch-sign-in');
  await dan.page.fill('#sign-in-email', dan.email);
  await dan.page.fill('#sign-in-password', dan.password);
  await dan.page.click('form#sign-in button[type=submit]');
  await dan.page.locator('form#sign-in [role=alert]', { hasText: 'the account is disabled' }).waitFor();
  assert.equal(await dan.page.inputValue('#sign-in-email'), dan.email);

  await row.locator('[data-action=toggle]').click();
  await page.locator(`#admin-users li[data-email="${dan.email}"][data-disabled=false]`).waitFor();

  // A password reset asks first (in the page, no dialog), then shows the new password once.
  await row.locator('button[data-action=reset]').click();
  await capture(page, 'admin-users-confirm');
  await row.locator('[data-confirm=yes]').click();
  const fresh = await row.locator('input.secret').inputValue();
  assert.ok(fresh.length >= 12, 'a new password is shown');
  await dan.page.fill('#sign-in-password', dan.password);
  await dan.page.click('form#sign-in button[type=submit]');
  await dan.page.locator('form#sign-in [role=alert]').filter({ hasText: /\S/ }).waitFor();
  dan.password = fresh;
  await dan.page.fill('#sign-in-password', fresh);
  await dan.page.click('form#sign-in button[type=submit]');
  await dan.page.locator('#sidebar').waitFor();
});

test('task 28: registration off refuses a sign-up with a clear message, then on; read-only mode on and off; stats', async () => {
  const { page } = root;
  await page.click('#admin-nav-node');
  await adminPage(page, 'node');
  assert.ok(Number(await page.locator('#admin-stats dd').nth(3).innerText()) >= 5, 'stats count the users');
  await page.uncheck('#admin-registrations');
  await page.locator('#admin-settings-error.field-ok').waitFor();
  const stranger = await person(browser, SCRIPT, 'Stranger');
  try {
    await stranger.page.goto(URL);
    await stranger.page.locator('form#sign-in').waitFor();
    await stranger.page.click('#switch-sign-in');
    await stranger.page.fill('#sign-up-displayName', 'Stranger');
    await stranger.page.fill('#sign-up-email', stranger.email);
    await stranger.page.fill('#sign-up-password', stranger.password);
    await stranger.page.click('form#sign-up button[type=submit]');
    await stranger.page.locator('form#sign-up [role=alert]', { hasText: 'registration is closed' }).waitFor();
    assert.equal(await stranger.page.inputValue('#sign-up-email'), stranger.email);
    await page.check('#admin-registrations');
    await page.locator('#admin-settings-error.field-ok').waitFor();
    await stranger.page.click('form#sign-up button[type=submit]');
    await stranger.page.locator('#sidebar').waitFor();
  } finally {
    await stranger.context.close();
  }

  // Read-only: Olga's new project is refused with the node's message; then writes work again.
  await page.check('#admin-read-only');
  await page.locator('#admin-settings-error.field-ok').waitFor();
  await capture(page, 'admin-node');
  await olga.page.goto(`${URL}/#/o/${made.org}/new-project`);
  await olga.page.fill('#new-project-name', 'Frozen');
  await olga.page.click('form#new-project button[type=submit]');
  await olga.page.locator('form#new-project [role=alert]', { hasText: 'read-only' }).waitFor();
  await page.uncheck('#admin-read-only');
  await page.locator('#admin-settings-error.field-ok').waitFor();
  await olga.page.click('form#new-project button[type=submit]');
  await cardPage(olga.page);
  const settings = await asUser(root, 'GET', '/v1/admin/settings');
  assert.equal(settings.json.registrationsOpen, true);
  assert.ok(!settings.json.readOnly);

  // Project-admins may install user modules: on (read back from the node's settings), then off again
  // (DesignerInBrowserIT and the other scripts share the node: leave it as found).
  assert.ok(!settings.json.projectAdminsInstallUserModules, 'the grant starts off');
  assert.equal(await page.isChecked('#admin-user-modules'), false);
  const toggle = async (on) => {
    const saved = page.waitForResponse((r) => r.request().method() !== 'GET'
      && (r.request().postData() ?? '').includes('projectAdminsInstallUserModules'));
    await (on ? page.check('#admin-user-modules') : page.uncheck('#admin-user-modules'));
    assert.equal((await saved).status(), 200);
    await page.locator('#admin-settings-error.field-ok').waitFor();
    assert.equal(Boolean((await asUser(root, 'GET', '/v1/admin/settings')).json.projectAdminsInstallUserModules), on);
  };
  await toggle(true);
  try {
    await capture(page, 'admin-node-user-modules', { show: '#admin-user-modules' });
  } finally {
    await toggle(false);
  }
});

test('task 28: the audit log, paged and filtered, shows what the sys-admin did', async () => {
  const { page } = root;
  await page.click('#admin-nav-audit');
  await adminPage(page, 'audit');
  await page.locator('#admin-audit-table tbody tr[data-action]').first().waitFor();
  await page.fill('#admin-audit-query', 'DisableUser');
  await page.press('#admin-audit-query', 'Enter');
  await page.locator('#admin-audit-table tbody tr[data-action="hearth.admin.v1.AdminService/DisableUser"]', { hasText: made.dan }).waitFor();
  // The unfiltered page may still show (it holds Dan's DisableUser too): wait for the filtered one.
  const others = page.locator('#admin-audit-table tbody tr[data-action]:not([data-action="hearth.admin.v1.AdminService/DisableUser"])');
  await others.first().waitFor({ state: 'detached' });
  assert.equal(await others.count(), 0);
  await capture(page, 'admin-audit');
  await page.fill('#admin-audit-query', '');
  await page.press('#admin-audit-query', 'Enter');
  if (!(await page.locator('#admin-audit-older').isDisabled())) {
    await page.click('#admin-audit-older');
    await page.locator('.pager', { hasText: '2' }).waitFor();
    await page.click('#admin-audit-newer');
  }
});

test('task 29: a module jar uploaded (an upgrade), a new plugin installed (its page comes to a project), the module stopped (its pages go) and started (they come back)', async () => {
  const { page } = root;
  await page.click('#admin-nav-modules');
  await adminPage(page, 'modules');
  assert.equal(await page.locator('#admin-designer-link').getAttribute('href'), '#/admin/designer');
  const jar = process.env.HEARTH_MODULE_JAR;
  if (jar) {
    await page.setInputFiles('#admin-module-jar', jar);
    await page.click('#admin-module-install');
    await page.locator('#admin-module-upload-error.field-ok', { hasText: 'survey' }).waitFor({ timeout: 30_000 });
  }
  await capture(page, 'admin-modules');
  await installNewModule(page);
  const survey = () => page.locator('#admin-modules li[data-module=survey]');
  await olga.page.goto(`${URL}/#/p/${made.ops}`);
  await cardPage(olga.page);
  const olgaSurvey = olga.page.locator('#sidebar a[href*="/survey/"]');
  await olgaSurvey.first().waitFor();
  await survey().locator('button[data-action=stop]').click();
  await survey().locator('[data-confirm=yes]').click();
  await page.locator('#admin-modules li[data-module=survey]:not([data-state=STARTED]) button[data-action=start]').waitFor();
  await olgaSurvey.first().waitFor({ state: 'detached' });
  await page.locator('#admin-modules li[data-module=survey] button[data-action=start]').click();
  await page.locator('#admin-modules li[data-module=survey][data-state=STARTED]').waitFor();
  await olgaSurvey.first().waitFor();
});

/**
 * A plugin the node has never had (examples/module-hello's jar, HEARTH_NEW_MODULE_JAR): uploaded,
 * listed as started, and its page ("Greetings") comes to the sidebar of Olga's project, which she
 * then opens. The node's list is read back.
 */
async function installNewModule(page) {
  const jar = env('HEARTH_NEW_MODULE_JAR');
  assert.equal(await page.locator('#admin-modules li[data-module=hello]').count(), 0, 'hello is not installed yet');
  await olga.page.goto(`${URL}/#/p/${made.ops}`);
  await cardPage(olga.page);
  const greetings = olga.page.locator('#sidebar a[href$="/hello/greetings"]');
  assert.equal(await greetings.count(), 0);
  await page.setInputFiles('#admin-module-jar', jar);
  await page.click('#admin-module-install');
  await page.locator('#admin-module-upload-error.field-ok', { hasText: 'hello' }).waitFor({ timeout: 30_000 });
  await page.locator('#admin-modules li[data-module=hello][data-state=STARTED]').waitFor();
  await capture(page, 'admin-modules-installed', { show: '#admin-modules li[data-module=hello]' });
  const listed = await asUser(root, 'GET', '/v1/modules');
  assert.deepEqual(listed.json.modules.filter((m) => m.moduleId === 'hello').map((m) => m.state), ['STARTED']);
  // Olga's sidebar gains the new module's page while she is on her project, and it opens.
  await greetings.waitFor({ timeout: 15_000 });
  assert.equal((await greetings.innerText()).trim(), 'Greetings');
  await greetings.click();
  await olga.page.waitForFunction(() => location.hash.endsWith('/hello/greetings'));
  await cardPage(olga.page);
  await olga.page.locator('#page .ac-adaptiveCard', { hasText: 'Top greeters' }).waitFor();
  await capture(olga.page, 'hello-greetings');
}

test('task 29: Pete (project-admin) turns the survey module off for his project only, and back', async () => {
  const { page } = pete;
  await openMenuEntry(page, true);
  await adminPage(page, 'home');
  assert.equal(await page.locator('#admin-nav-users').count(), 0, 'no node section for a project-admin');
  assert.equal(await page.locator(`#admin-nav-org-${made.org}`).count(), 0, 'no org section for a project-admin');
  await page.click(`#admin-nav-project-${made.ops}`);
  await adminPage(page, `p/${made.ops}`);
  await page.selectOption('#flag-project-module-survey', 'off');
  await page.locator('#admin-flags-project-error.field-ok').waitFor();
  await page.locator('tr[data-flag="module.survey"][data-enabled=false]').waitFor();
  const flag = await asUser(pete, 'GET', `/v1/projects/${made.ops}/flags/module.survey`);
  assert.equal(flag.json.enabled ?? false, false);
  assert.equal(flag.json.source, 'PROJECT');
  await capture(page, 'admin-project');
  await page.selectOption('#flag-project-module-survey', '');
  await page.locator('tr[data-flag="module.survey"][data-enabled=true]').waitFor();
  // The node refuses Pete what his console does not show.
  assert.equal((await asUser(pete, 'GET', '/v1/admin/stats')).status, 403);
  assert.equal((await asUser(pete, 'GET', `/v1/orgs/${made.org}/webhooks`)).status, 403);
  await page.goto(`${URL}/#/admin/users`);
  await page.locator('#admin-not-allowed').waitFor();
});

test('task 30: a project webhook to a local receiver: an event delivered, listed, and sent again', async () => {
  const { page } = pete;
  await page.goto(`${URL}/#/admin/p/${made.ops}`);
  await adminPage(page, `p/${made.ops}`);
  const endpoint = `http://127.0.0.1:${receiver.address().port}/hook`;
  await page.fill('#admin-hook-project-endpoint', endpoint);
  await page.fill('#admin-hook-project-description', 'Ops receiver');
  await page.click('form#admin-hook-project button[type=submit]');
  assert.match(await page.locator('#admin-hook-secret-project').inputValue(), /^whsec_/);
  const hook = page.locator('#admin-webhooks-project li[data-webhook]', { hasText: endpoint });
  await hook.waitFor();
  // An event in the project: a channel made on the chat module's page.
  await page.goto(`${URL}/#/p/${made.ops}/chat/channel-list`);
  await cardPage(page);
  await page.getByRole('button', { name: 'New channel' }).first().click();
  await page.locator('#page').getByLabel('Name').fill('hooked');
  await page.locator('#page .ac-adaptiveCard button', { hasText: 'New channel' }).last().click();
  const deadline = Date.now() + 15_000;
  while (!received.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(received.length > 0, 'the receiver got a delivery');
  await page.goto(`${URL}/#/admin/p/${made.ops}`);
  await adminPage(page, `p/${made.ops}`);
  await hook.locator('[data-action=deliveries]').click();
  const delivered = hook.locator('tr[data-status=DELIVERED]').first();
  await delivered.waitFor();
  const id = await delivered.getAttribute('data-delivery');
  const before = received.length;
  await delivered.locator('[data-action=redeliver]').click();
  await hook.locator('.field-ok', { hasText: '204' }).waitFor();
  assert.equal(received.length, before + 1);
  assert.equal(received.at(-1).id, id, 'the same delivery, sent again');
  made.webhookDeliveries = received.length;
  await capture(page, 'admin-project-webhooks', { show: `#admin-webhooks-project li[data-webhook]` });
});

test('issue 23: Pete makes a bot, its token and an incoming webhook in the console; a POST to the shown URL reaches Mia live; revoked, it is 404', async () => {
  // Mia watches #hooked (made in the step before).
  await mia.page.goto(`${URL}/#/p/${made.ops}`);
  await cardPage(mia.page);
  await joinFromSidebar(mia, 'hooked');
  await mia.page.locator('.hearth-chat-main .hearth-timeline-note[data-status="start"]').waitFor();

  const { page } = pete;
  await page.goto(`${URL}/#/admin/p/${made.ops}`);
  await adminPage(page, `p/${made.ops}`);
  await page.locator('#admin-bots .note', { hasText: 'No bot yet' }).waitFor();
  // A refusal sits by the field the node names, and what was typed stays.
  await page.click('form#admin-bot button[type=submit]');
  await page.locator('#admin-bot-displayName-error').filter({ hasText: /\S/ }).waitFor();
  assert.equal(await page.getAttribute('#admin-bot-displayName', 'aria-invalid'), 'true');
  await page.fill('#admin-bot-displayName', 'Deploy bot');
  await page.click('form#admin-bot button[type=submit]');
  const bot = page.locator('#admin-bots li[data-bot]', { hasText: 'Deploy bot' });
  await bot.waitFor();
  made.bot = await bot.getAttribute('data-bot');
  await bot.locator('[data-action=token]').click();
  const token = await page.locator(`#admin-bot-${made.bot}-token`).inputValue();
  assert.match(token, /^hth_/);
  const me = await fetch(`${URL}/v1/projects/${made.ops}/chat/channels`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200, 'the token shown works for its bot');

  await page.selectOption('#admin-inhook-channelId', { label: '#hooked' });
  await page.selectOption('#admin-inhook-botId', { label: 'Deploy bot' });
  await page.fill('#admin-inhook-description', 'from CI');
  await page.click('form#admin-inhook button[type=submit]');
  const hookUrl = await page.locator('#admin-inhook-url').inputValue();
  assert.ok(hookUrl.startsWith(`${URL}/hooks/`), hookUrl);
  const hook = page.locator('#admin-incoming-hooks li[data-hook]', { hasText: '#hooked as Deploy bot' });
  await hook.waitFor();
  assert.ok(!(await page.locator('#admin-incoming-hooks').innerText()).includes(hookUrl.slice(-12)), 'the list never shows the URL');
  await page.locator('#admin-inhook-url').scrollIntoViewIfNeeded();
  await page.locator('#admin-inhooks-section [data-action=copy]').click();
  await page.locator('#admin-inhooks-section .one-time [role=status]').filter({ hasText: /\S/ }).waitFor();
  await capture(page, 'admin-project-bots', { show: '#admin-inhooks-section' });

  const posted = await fetch(hookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'deploy of web 1.4 done' }) });
  assert.equal(posted.status, 200);
  await mia.page.locator('.hearth-chat-main .hearth-msg', { hasText: 'deploy of web 1.4 done' }).waitFor();

  // Revoked after a question in the page: the row goes, and the URL is 404 and writes nothing.
  await hook.locator('[data-action=revoke]').click();
  await capture(page, 'admin-project-bots-revoke', { show: '#admin-incoming-hooks' });
  await hook.locator('[data-confirm=yes]').click();
  await hook.waitFor({ state: 'detached' });
  const refused = await fetch(hookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'after the revoke' }) });
  assert.equal(refused.status, 404);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await mia.page.locator('.hearth-chat-main .hearth-msg', { hasText: 'after the revoke' }).count(), 0);

  // A slash command: a bad name is refused by its field; a good one shows its secret once; deleted after asking.
  await page.fill('#admin-command-name', 'Bad Name');
  await page.fill('#admin-command-url', `http://127.0.0.1:${receiver.address().port}/command`);
  await page.selectOption('#admin-command-botId', { label: 'Deploy bot' });
  await page.click('form#admin-command button[type=submit]');
  await page.locator('#admin-command-name-error').filter({ hasText: /\S/ }).waitFor();
  await page.fill('#admin-command-name', 'deploy');
  await page.fill('#admin-command-description', 'ships the web app');
  await page.click('form#admin-command button[type=submit]');
  assert.match(await page.locator('#admin-command-secret').inputValue(), /^whsec_/);
  const command = page.locator('#admin-commands li[data-command=deploy]');
  await command.waitFor();
  const listed = await asUser(mia, 'GET', `/v1/projects/${made.ops}/slash-commands`);
  assert.deepEqual(listed.json.commands.map((c) => c.name), ['deploy']);
  await capture(page, 'admin-project-commands', { show: '#admin-commands-section' });
  await command.locator('[data-action=delete]').click();
  await command.locator('[data-confirm=yes]').click();
  await command.waitFor({ state: 'detached' });
  assert.deepEqual((await asUser(mia, 'GET', `/v1/projects/${made.ops}/slash-commands`)).json.commands ?? [], []);

  // The bot deleted: its token is refused at once.
  await bot.locator('[data-action=delete]').click();
  await bot.locator('[data-confirm=yes]').click();
  await bot.waitFor({ state: 'detached' });
  const gone = await fetch(`${URL}/v1/projects/${made.ops}/chat/channels`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(gone.status, 401);
});

test('task 30: a backup made, listed and verified', async () => {
  const { page } = root;
  await page.click('#admin-nav-backups');
  await adminPage(page, 'backups');
  const rows = page.locator('#admin-backup-table tr[data-backup]');
  const before = await rows.count();
  await page.click('#admin-backup-create');
  await page.locator('#admin-backups-error.field-ok').waitFor({ timeout: 30_000 });
  await page.waitForFunction((n) => document.querySelectorAll('#admin-backup-table tr[data-backup]').length > n, before);
  await rows.first().locator('[data-action=verify]').click();
  await rows.first().locator('.verify-result.field-ok').waitFor({ timeout: 30_000 });
  made.backup = await rows.first().getAttribute('data-backup');
  await capture(page, 'admin-backups');
});

test('tasks 29–30: Olga (org-admin) sees her org and project, not the node; federation is shown as off', async () => {
  const { page } = olga;
  await openMenuEntry(page, true);
  await adminPage(page, 'home');
  assert.equal(await page.locator('#admin-nav-users').count(), 0, 'no node section for an org-admin');
  await page.click(`#admin-nav-org-${made.org}`);
  await adminPage(page, `o/${made.org}`);
  await page.locator('#admin-federation-off').waitFor();
  await page.locator('#admin-switches-org tr[data-flag="module.chat"]').waitFor();
  await capture(page, 'admin-org');
  assert.equal((await asUser(olga, 'GET', '/v1/admin/users')).status, 403);
  await page.goto(`${URL}/#/admin/backups`);
  await page.locator('#admin-not-allowed').waitFor();
});

test('a plain member has no admin entry, and the node refuses the calls', async () => {
  const { page } = mia;
  await page.goto(`${URL}/#/p/${made.ops}`);
  await cardPage(page);
  await openMenuEntry(page, false);
  await page.goto(`${URL}/#/admin`);
  await page.locator('#page[data-shell] .admin .note', { hasText: 'You do not administer this' }).waitFor();
  await capture(page, 'admin-member');
  assert.equal((await asUser(mia, 'GET', '/v1/admin/stats')).status, 403);
  assert.equal((await asUser(mia, 'GET', `/v1/projects/${made.ops}/webhooks`)).status, 403);
});

test('task 28: the sys-admin deletes Dan, asked first; no page asked a node without federation about it (no 404)', async () => {
  const { page } = root;
  await page.click('#admin-nav-users');
  await adminPage(page, 'users');
  await page.fill('#admin-user-query', dan.email);
  await page.press('#admin-user-query', 'Enter');
  const row = page.locator(`#admin-users li[data-email="${dan.email}"]`);
  // The unfiltered list (Dan is in it too) may still be on screen: the search's answer, drawn after a
  // click on Delete, would take the question away with the row it replaces.
  await page.waitForFunction(() => document.querySelectorAll('#admin-users li[data-email]').length === 1);
  await row.locator('button[data-action=delete]').click();
  await row.locator('[data-confirm=yes]').click();
  await row.waitFor({ state: 'detached' });
  const users = await asUser(root, 'GET', `/v1/admin/users?query=${encodeURIComponent(dan.email)}`);
  assert.deepEqual(users.json.users ?? [], []);
  if (notFound.length) console.log(`404s met: ${notFound.join(', ')}`);
  assert.deepEqual(notFound.filter((u) => u.includes('federation')), []);
});
