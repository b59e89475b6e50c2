// Tasks 1–8 of WEB-CLIENT.md through the UI alone, from an empty node (WebTasksIT): Ann signs up,
// makes an org and a project and an invite link; Bob and Carol open it as strangers, sign up and
// land in the project; Ann makes Bob an admin and removes Carol; Ann switches between two orgs'
// projects; Bob's channel badge moves live when Ann writes; then Bob reads, answers, reacts and replies in
// a thread, and Ann sees each live and answers him there. Every new page is screenshotted at
// 1280×800 and 390×844, light and dark, and checked with axe. The IT reads the results back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { axe, capture, cardPage, launch, person, PHONE, projectOf, SHOTS, shellPage, signIn, signUp, URL } from './tasks-kit.mjs';

const SCRIPT = 'onboarding';
let browser;
let ann, bob, carol;
const made = {}; // what the IT reads back: ids and emails

before(async () => {
  browser = await launch();
  ann = await person(browser, SCRIPT, 'Ann');
  bob = await person(browser, SCRIPT, 'Bob');
  carol = await person(browser, SCRIPT, 'Carol', { locale: 'ru-RU' });
});

after(async () => {
  writeFileSync(`${SHOTS}/../tasks-onboarding.json`, JSON.stringify(made, null, 2));
  await browser?.close();
});

test('task 1: sign up (a refusal shows by its field, what was typed kept), stay signed in across a reload', async () => {
  const { page } = ann;
  await page.goto(URL);
  await page.locator('form#sign-in').waitFor();
  await capture(page, 'sign-in');
  await page.click('#switch-sign-in');
  await page.fill('#sign-up-displayName', 'Ann');
  await page.fill('#sign-up-email', ann.email);
  await page.fill('#sign-up-password', 'short');
  await page.click('form#sign-up button[type=submit]');
  const error = page.locator('#sign-up-password-error');
  await error.filter({ hasText: 'characters' }).waitFor();
  assert.equal(await page.inputValue('#sign-up-email'), ann.email);
  assert.equal(await page.getAttribute('#sign-up-password', 'aria-invalid'), 'true');
  await capture(page, 'sign-up-error');
  await page.fill('#sign-up-password', ann.password);
  await page.click('form#sign-up button[type=submit]');
  // Task 2's offer comes at once: a user with no project is not left on an empty page.
  await shellPage(page, '.welcome');
  assert.ok(page.url().endsWith('#/welcome'), page.url());
  await page.reload();
  await shellPage(page, '.welcome');
  assert.equal(await page.locator('form#sign-in').count(), 0);
  await capture(page, 'welcome');
  // The user menu: theme, language, sign-out.
  await page.click('#user-menu summary');
  await page.locator('#sign-out').waitFor();
  await capture(page, 'user-menu');
  await page.keyboard.press('Escape');
  await page.locator('#sign-out').waitFor({ state: 'hidden' });
});

test('tasks 2–3: create an organisation (an empty name refused by its field), then a project in it', async () => {
  const { page } = ann;
  await page.click('#create-org');
  await shellPage(page, 'form#new-org');
  await page.click('form#new-org button[type=submit]');
  await page.locator('#new-org-name-error').filter({ hasText: 'required' }).waitFor();
  await capture(page, 'new-org');
  await page.fill('#new-org-name', 'Acme');
  await page.click('form#new-org button[type=submit]');
  await shellPage(page, 'form#new-project');
  await page.locator('#sidebar .org h2', { hasText: 'Acme' }).waitFor();
  await capture(page, 'new-project');
  await page.fill('#new-project-name', 'Launch');
  await page.click('form#new-project button[type=submit]');
  await cardPage(page); // the project's first module page
  made.launch = projectOf(page);
  const link = page.locator('#sidebar a[aria-current]', { hasText: 'Launch' });
  await link.waitFor();
  await capture(page, 'project-home');
});

test('task 4: an invite link with role, expiry and uses, copied with one click', async () => {
  const { page } = ann;
  await page.click('#sidebar a:text("Invite people")');
  await shellPage(page, 'form#invite');
  await page.fill('#invite-maxUses', '5000');
  await page.click('form#invite button[type=submit]');
  await page.locator('#invite-maxUses-error').filter({ hasText: '1000' }).waitFor();
  await page.selectOption('#invite-role', 'project-user');
  await page.selectOption('#invite-expiresInSeconds', '86400');
  await page.fill('#invite-maxUses', '2');
  await page.click('form#invite button[type=submit]');
  const link = await page.locator('#invite-link').inputValue();
  assert.match(link, /#\/join\/.+/);
  await page.click('#copy-invite');
  await page.locator('.invite-result [role=status]', { hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await page.locator('.invites li', { hasText: '2' }).waitFor();
  await capture(page, 'invite');
  made.link = link;
});

test('task 5: strangers open the link, sign up (or fail and retry) and land inside the project', async () => {
  await bob.page.goto(made.link);
  await bob.page.locator('form#sign-up').waitFor();
  await bob.page.getByText('You were invited to a project').waitFor();
  await capture(bob.page, 'join-sign-up');
  await signUp(bob);
  await cardPage(bob.page);
  assert.equal(projectOf(bob.page), made.launch);
  await bob.page.locator('#sidebar a[aria-current]', { hasText: 'Launch' }).waitFor();

  // Carol's browser is Russian: the invite note and the shell are in Russian.
  await carol.page.goto(made.link);
  await carol.page.getByText('Вас пригласили в проект').waitFor();
  await signUp(carol);
  await cardPage(carol.page);
  assert.equal(projectOf(carol.page), made.launch);
  assert.equal(await carol.page.locator('#sidebar #nav h2').innerText(), 'СТРАНИЦЫ');

  // The link had two uses: a third stranger is refused on the join page, the code kept in its field.
  const dave = await person(browser, SCRIPT, 'Dave');
  try {
    await dave.page.goto(made.link);
    await signUp(dave);
    await shellPage(dave.page, 'form#join');
    await dave.page.locator('#join-code-error', { hasText: 'invite' }).waitFor();
    assert.ok((await dave.page.inputValue('#join-code')).length > 10);
    await capture(dave.page, 'join-refused');
  } finally {
    await dave.context.close();
  }
});

test('task 7: an admin sees members, makes Bob an admin and removes Carol after confirming', async () => {
  const { page } = ann;
  await page.click('#sidebar a:text("Members")');
  await shellPage(page, '.members');
  const bobRow = page.locator('.member', { hasText: 'Bob' });
  const carolRow = page.locator('.member', { hasText: 'Carol' });
  await bobRow.waitFor();
  await carolRow.waitFor();
  assert.equal(await page.locator('.member').count(), 3);
  await capture(page, 'members');
  // The last admin cannot be demoted: the node's refusal shows on her own row, the role put back.
  const annRow = page.locator('.member', { hasText: '(you)' });
  await annRow.locator('select').selectOption('project-user');
  await annRow.locator('.field-error', { hasText: 'last project-admin' }).waitFor();
  assert.equal(await annRow.locator('select').inputValue(), 'project-admin');

  await bobRow.locator('select').selectOption('project-admin');
  await bobRow.locator('.field-ok').waitFor();
  await carolRow.getByRole('button', { name: 'Remove Carol' }).click();
  await carolRow.getByText('Remove Carol from the project?').waitFor();
  await capture(page, 'members-confirm');
  await carolRow.getByRole('button', { name: 'Yes, remove' }).click();
  await carolRow.waitFor({ state: 'detached' });

  // Bob, now an admin, gets the invite page; Carol, removed, is back to the first-run choice.
  await bob.page.reload();
  await bob.page.locator('#sidebar a:text("Invite people")').waitFor();
  // Carol's open page is of a project she is no longer in: the node refuses its data, the card says so.
  await carol.page.reload();
  await carol.page.locator('#page .ac-adaptiveCard').getByText('PERMISSION_DENIED', { exact: false }).waitFor();
  // The shell's own pages of it say so plainly; home is the first-run choice again.
  await carol.page.goto(`${URL}/#/p/${made.launch}/~/members`);
  await carol.page.locator('#page .not-member').waitFor();
  await carol.page.click('#page a[href="#/"]');
  await shellPage(carol.page, '.welcome');
  await carol.page.getByRole('heading', { name: 'Добро пожаловать в Hearth' }).waitFor();
  await capture(carol.page, 'welcome-ru');
  made.bob = bob.email;
  made.carol = carol.email;
});

test('task 6: switch between organisations and projects from the sidebar', async () => {
  const { page } = ann;
  await page.click('#sidebar a:text("Create an organisation")');
  await page.fill('#new-org-name', 'Beta');
  await page.click('form#new-org button[type=submit]');
  await page.fill('#new-project-name', 'Research');
  await page.click('form#new-project button[type=submit]');
  await cardPage(page);
  made.research = projectOf(page);
  assert.notEqual(made.research, made.launch);
  await page.locator('#sidebar .org h2', { hasText: 'Beta' }).waitFor();
  await page.click('#sidebar a:text("Launch")');
  await page.waitForFunction((p) => location.hash.startsWith(`#/p/${p}/`), made.launch);
  await cardPage(page);
  await page.locator('#sidebar a[aria-current]', { hasText: 'Launch' }).waitFor();
  await page.click('#sidebar a:text("Research")');
  await page.waitForFunction((p) => location.hash.startsWith(`#/p/${p}/`), made.research);
  await page.locator('#sidebar a[aria-current]', { hasText: 'Research' }).waitFor();
  await capture(page, 'two-orgs');

  // On a phone the sidebar is a drawer: hidden, opened by the menu button, closed by a choice.
  await page.setViewportSize(PHONE);
  assert.equal(await page.locator('#sidebar').isVisible(), false);
  await page.click('#menu-button');
  await page.locator('#sidebar a:text("Launch")').waitFor({ state: 'visible' });
  assert.equal(await page.getAttribute('#menu-button', 'aria-expanded'), 'true');
  await page.screenshot({ path: `${SHOTS}/drawer-phone-light.png` });
  await axe(page, 'drawer');
  await page.click('#sidebar a:text("Launch")');
  await page.waitForFunction((p) => location.hash.startsWith(`#/p/${p}/`), made.launch);
  await page.locator('#sidebar').waitFor({ state: 'hidden' });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('task 8: channels in the sidebar; Bob joins one and its unread badge moves live as Ann writes', async () => {
  const { page } = ann;
  await page.goto(`${URL}/#/p/${made.launch}/chat/channel-list`);
  await cardPage(page);
  await page.getByRole('button', { name: 'New channel' }).first().click();
  await page.locator('#page').getByLabel('Name').fill('general');
  await page.locator('#page .ac-adaptiveCard button', { hasText: 'New channel' }).last().click();
  await page.locator('#channels li', { hasText: 'general' }).waitFor();

  // Bob's sidebar learns of the new public channel live; he joins it there.
  const other = bob.page.locator('#channels .not-joined', { hasText: 'general' });
  await other.waitFor();
  await other.getByRole('button', { name: 'Join #general' }).click();
  await bob.page.waitForFunction(() => location.hash.includes('/chat/channel?channelId='));
  made.general = new URLSearchParams(bob.page.url().split('?')[1]).get('channelId');
  // Bob looks at something else while Ann writes.
  await bob.page.click('#sidebar a:text("Members")');
  await shellPage(bob.page, '.members');
  const general = bob.page.locator(`#channels li[data-channel="${made.general}"]`);
  await general.waitFor();
  assert.equal(await general.getAttribute('data-unread'), '0');

  await page.click(`#channels li[data-channel="${made.general}"] a`);
  await cardPage(page);
  for (const [i, text] of ['Welcome, Bob!', 'The plan is in the pinned message.'].entries()) {
    await page.locator('#page textarea').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#page .ac-adaptiveCard').getByText(text).waitFor();
    await bob.page.locator(`#channels li[data-channel="${made.general}"][data-unread="${i + 1}"] .badge`).waitFor();
  }
  // What a screen reader says of it: the count with its meaning.
  await bob.page.getByRole('link', { name: /general.*2 unread/ }).waitFor();
  await capture(bob.page, 'members-with-unread');
});

test('the path ends in conversation: Bob reads #general, answers, reacts and replies in a thread; Ann sees each live', async () => {
  const message = (page, text) => page.locator('.hearth-chat-main .hearth-msg', { hasText: text });
  const inPanel = (page, text) => page.locator('.hearth-panel .hearth-msg', { hasText: text });
  await bob.page.click(`#channels li[data-channel="${made.general}"] a`);
  await cardPage(bob.page);
  await message(bob.page, 'Welcome, Bob!').waitFor();
  // Reading the channel clears his badge.
  await bob.page.locator(`#channels li[data-channel="${made.general}"][data-unread="0"]`).waitFor();

  await bob.page.locator('#page textarea').fill('Thanks, Ann! Glad to be here.');
  await bob.page.keyboard.press('Enter');
  await message(ann.page, 'Glad to be here').locator('.hearth-msg-author', { hasText: 'Bob' }).waitFor();

  await message(bob.page, 'Welcome, Bob!').getByRole('button', { name: 'Add reaction' }).click();
  await bob.page.getByRole('dialog', { name: 'Add a reaction' }).waitFor();
  await bob.page.keyboard.type('rock');
  await bob.page.keyboard.press('ArrowDown');
  await bob.page.keyboard.press('Enter');
  await message(ann.page, 'Welcome, Bob!').locator('.hearth-reaction[data-emoji="🚀"]', { hasText: '🚀 1' }).waitFor();

  await message(bob.page, 'Welcome, Bob!').getByRole('button', { name: 'Reply', exact: true }).click();
  await bob.page.getByRole('region', { name: 'Thread' }).waitFor();
  await bob.page.keyboard.type('Where is the pinned message?');
  await bob.page.keyboard.press('Enter');
  const count = message(ann.page, 'Welcome, Bob!').locator('button.hearth-msg-replies');
  await count.filter({ hasText: 'Replies: 1' }).waitFor();
  await count.click();
  await inPanel(ann.page, 'Where is the pinned').waitFor();
  await ann.page.getByRole('region', { name: 'Thread' }).locator('textarea').fill('Top of the channel, I will pin it now.');
  await ann.page.getByRole('region', { name: 'Thread' }).locator('textarea').press('Enter');
  await inPanel(bob.page, 'I will pin it now').waitFor();
  await capture(bob.page, 'onboarding-conversation');
});
