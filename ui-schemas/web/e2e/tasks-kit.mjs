// What the task scripts (e2e/tasks-*.test.mjs) share. WebTasksIT starts ONE empty node and runs
// every such script against it, several at once: each script makes its own people (emails carry
// the script's name) and its own orgs, so scripts never see each other's data. What is only the way
// to a script's task (people, orgs, projects, invites, channels) is made over the node's API and the
// browser signed in without the form (signUpOverApi …); tasks-onboarding makes them through the UI,
// where they are the task.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { env, FULL_ENGINE, launch } from './shell.mjs';

export { env, launch };

export const URL = env('HEARTH_URL');
export const SHOTS = process.env.HEARTH_SCREENSHOTS ?? 'target/screenshots';
mkdirSync(SHOTS, { recursive: true });

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * A person with a browser context of their own, not signed in yet. `name` makes their email
 * unique to the script (`<name>.<script>@tasks.test`).
 */
export async function person(browser, script, name, { locale = 'en-GB', viewport = DESKTOP, colorScheme = 'light' } = {}) {
  // Reduced motion: the phone drawer opens without its slide, so a screenshot never catches it halfway.
  const context = await browser.newContext({ viewport, locale, colorScheme, reducedMotion: 'reduce' });
  context.setDefaultTimeout(20_000); // a failing step ends within 20 s, not Playwright's 30 s; 10 s was crossed at load ~50 (tasks-designer's fill beside federation and SSO)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: URL });
  const page = await context.newPage();
  page.on('dialog', (d) => assert.fail(`the shell opened a dialog: ${d.message()}`));
  page.on('console', (m) => {
    // With the resource's address: a failed load's text alone does not say which request it was.
    if (m.type() === 'error') console.log(`[${name} console] ${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`);
    // Every page the repository ships expands with the shell's light template expander (cards.ts), in every state.
    if (m.text().startsWith(FULL_ENGINE)) assert.fail(`${name}: ${m.text()}`);
  });
  const who = { name, email: `${name.toLowerCase()}.${script}@tasks.test`, password: `${name}-password-1`, context, page };
  return who;
}

/** Signs up through the shell's form (the form must be on screen). */
export async function signUp(who) {
  const { page } = who;
  if (await page.locator('form#sign-in').count()) await page.click('#switch-sign-in');
  await page.fill('#sign-up-displayName', who.name);
  await page.fill('#sign-up-email', who.email);
  await page.fill('#sign-up-password', who.password);
  await page.click('form#sign-up button[type=submit]');
  await page.locator('#sidebar').waitFor();
}

/** Signs in through the shell's form. */
export async function signIn(who) {
  const { page } = who;
  if (await page.locator('form#sign-up').count()) await page.click('#switch-sign-in');
  await page.fill('#sign-in-email', who.email);
  await page.fill('#sign-in-password', who.password);
  await page.click('form#sign-in button[type=submit]');
  await page.locator('#sidebar').waitFor();
}

/** The shell's own page on screen (not a card): its id's element. */
export async function shellPage(page, selector) {
  await page.locator(`#page[data-shell] ${selector}`).waitFor();
}

/** A module's card on screen, rendered with its data. */
export async function cardPage(page) {
  await page.locator('#page[data-rendered] .ac-adaptiveCard').waitFor();
}

/**
 * axe-core's rules whose verdict depends on the page's colours: text contrast, and links told from
 * the text around them by colour. The others read the DOM, its names and roles and the layout, which a
 * change of colour scheme leaves as they were: the shell's dark theme (shell.css) and the node's dark
 * host config for cards (ui-schemas hostconfig/dark.json) differ from the light ones in colours alone.
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * Screenshots of what is on screen at 1280×800 and 390×844, light and dark
 * (`<name>-{desktop,phone}-{light,dark}.png`), and an axe check of each: no serious or critical
 * violation anywhere on the page, the module's card and its host elements included. At each size
 * the first scheme gets every rule and the second the rules that depend on colour (COLOUR_RULES):
 * each scheme gets every rule at one size and the colour rules at both.
 * `show` is a selector scrolled into view before each shot. Puts the viewport and colour scheme back
 * afterwards.
 */
export async function capture(page, name, { show } = {}) {
  const before = page.viewportSize();
  const started = performance.now();
  const spent = { theme: 0, shot: 0, axe: 0, colour: 0 };
  const timed = async (what, step) => {
    const t = performance.now();
    await step();
    spent[what] += performance.now() - t;
  };
  // Desktop light, desktop dark, phone dark, phone light: one change of scheme fewer than light-then-dark at
  // each size, and the page ends light (what it is put back to) without drawing its card again.
  for (const [size, viewport, schemes] of [['desktop', DESKTOP, ['light', 'dark']], ['phone', PHONE, ['dark', 'light']]]) {
    await page.setViewportSize(viewport);
    for (const [i, scheme] of schemes.entries()) {
      await timed('theme', () => themed(page, scheme));
      if (show) await page.locator(show).scrollIntoViewIfNeeded();
      await timed('shot', () => page.screenshot({ path: `${SHOTS}/${name}-${size}-${scheme}.png` }));
      await timed(i === 0 ? 'axe' : 'colour', () => axe(page, `${name} ${size} ${scheme}`, i === 0 ? undefined : COLOUR_RULES));
    }
  }
  await page.setViewportSize(before);
  // Back to light, and waited for: a card re-drawn after the script went on would reset what it does next.
  await timed('theme', () => themed(page, 'light'));
  // For reading a run's log (where a script's time goes); nothing asserts it.
  const ms = (n) => Math.round(n);
  console.log(`[capture] ${name}: ${ms(performance.now() - started)} ms (themes ${ms(spent.theme)}, shots ${ms(spent.shot)}, `
    + `axe ${ms(spent.axe)}, axe colour rules ${ms(spent.colour)})`);
}

/**
 * Emulates the colour scheme and waits until the chrome (<html data-theme>) and a card page on screen
 * (#page data-theme, set once the card is drawn in that theme) both show it.
 */
async function themed(page, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  try {
    await page.waitForFunction((s) => {
      const host = document.getElementById('page');
      const card = host?.dataset.page && host.dataset.rendered;
      return document.documentElement.dataset.theme === s && (!card || host.dataset.theme === s);
    }, scheme);
  } catch (e) {
    const seen = await page.evaluate(() => ({ chrome: document.documentElement.dataset.theme,
      card: document.getElementById('page')?.dataset.theme, setting: localStorage.getItem('hearth.theme'),
      dark: matchMedia('(prefers-color-scheme: dark)').matches, url: location.href }));
    throw new Error(`the page did not turn ${scheme}: ${JSON.stringify(seen)}`, { cause: e });
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Runs axe-core on the page, every rule or only the rules `only` names; fails on a serious or critical
 * violation, naming each. Injected through evaluate, which the shell's Content-Security-Policy
 * (script-src 'self') does not apply to, unlike a script tag.
 */
export async function axe(page, label, only) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
  const violations = await page.evaluate(async (only) => {
    const options = { resultTypes: ['violations'], ...(only ? { runOnly: { type: 'rule', values: only } } : {}) };
    const result = await window.axe.run(document, options);
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }, only);
  assert.deepEqual(violations, [], `axe on ${label}`);
}

/** The project id in the address bar (#/p/<project>/…). */
export function projectOf(page) {
  const m = /#\/p\/([^/?]+)/.exec(page.url());
  assert.ok(m, `not in a project: ${page.url()}`);
  return decodeURIComponent(m[1]);
}

// Set-up over the node's API (docs/api.md): the people, orgs, projects, invites and channels a script
// needs only on the way to its own task. Signing up, making orgs and projects and inviting through the
// UI is tasks-onboarding's task (WEB-CLIENT.md 1–7), and is tested there.

/** A REST call to the node; fails on an answer that is not 2xx; answers the JSON ({} for none). */
async function rest(method, path, body, token) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const r = await fetch(`${URL}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text(); // read once: the assertion's message and the result share it
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/**
 * A call to the node as `who` (REST), with a token of a session of its own (logged in beside the
 * browser, whose sign-out does not end it): set-up, bulk data, reading back.
 */
export async function api(who, method, path, body) {
  who.token ??= (await rest('POST', '/v1/auth/log-in', { email: who.email, password: who.password })).accessToken;
  return rest(method, path, body, who.token);
}

/**
 * Hands `session` (the node's answer to a sign-up or log-in) to the shell in `who`'s page, as if it
 * had signed in there: the shell keeps the tab's refresh token in sessionStorage (api.ts, SESSION_KEY)
 * and resumes it on load (auth.ts, restore). Put there before the page's first load, once per tab: a
 * refresh token is spent on its first use, and presenting it again would end the session on the node.
 */
async function handOver(who, session) {
  const origin = new globalThis.URL(URL).origin;
  const stored = { refreshToken: session.refreshToken, userId: session.userId };
  await who.page.addInitScript(({ origin, stored }) => {
    if (window !== window.top || location.origin !== origin || sessionStorage.getItem('hearth.e2e.handedOver')) return;
    sessionStorage.setItem('hearth.e2e.handedOver', 'true');
    sessionStorage.setItem('hearth.session', JSON.stringify(stored));
  }, { origin, stored });
}

/**
 * Over the API: `who` signs up (with `invite`, an invite's code: joining its project at once), and
 * their page is signed in as them from its first load, without the form.
 */
export async function signUpOverApi(who, invite) {
  const session = await rest('POST', '/v1/auth/sign-up',
    { email: who.email, password: who.password, displayName: who.name, ...(invite ? { inviteCode: invite } : {}) });
  await handOver(who, session);
}

/** Over the API: `who`, who has an account, is signed in in their page from its first load, without the form. */
export async function signInOverApi(who) {
  await handOver(who, await rest('POST', '/v1/auth/log-in', { email: who.email, password: who.password }));
}

/** Over the API: `who` makes an org and a project in it; answers both ids. */
export async function projectOverApi(who, orgName, projectName) {
  const org = (await api(who, 'POST', '/v1/orgs', { name: orgName })).id;
  const project = (await api(who, 'POST', `/v1/orgs/${org}/projects`, { name: projectName })).id;
  return { org, project };
}

/** Over the API: an invite to `project` (its admin `who` makes it) for `uses` people; answers its code. */
export async function inviteOverApi(who, project, { role = 'project-user', uses = 5 } = {}) {
  return (await api(who, 'POST', `/v1/projects/${project}/invites`, { role, maxUses: uses })).code;
}

/** Over the API: `who` makes a public channel in `project`; answers its id. */
export async function channelOverApi(who, project, name) {
  return (await api(who, 'POST', `/v1/projects/${project}/chat/channels`, { name, visibility: 'PUBLIC' })).id;
}

/** Over the API: `who` joins a public channel. */
export async function joinOverApi(who, project, channel) {
  await api(who, 'POST', `/v1/projects/${project}/chat/channels/${channel}/join`, {});
}

/**
 * Over the API: `owner` signs up and makes an org, a project in it and a public channel; each of
 * `members` signs up with an invite to the project and joins the channel. Answers both ids.
 */
export async function channelTeamOverApi(owner, members, org, project, channel) {
  await signUpOverApi(owner);
  const made = { project: (await projectOverApi(owner, org, project)).project };
  const invite = await inviteOverApi(owner, made.project, { uses: Math.max(1, members.length) });
  await Promise.all(members.map((m) => signUpOverApi(m, invite)));
  made.channel = await channelOverApi(owner, made.project, channel);
  await Promise.all(members.map((m) => joinOverApi(m, made.project, made.channel)));
  return made;
}

/** `who`'s page opens the project's first page (signed in: signUpOverApi, signInOverApi), once its card is drawn. */
export async function openProject(who, project, options = {}) {
  await who.page.goto(`${URL}/#/p/${encodeURIComponent(project)}`, options);
  await cardPage(who.page);
  assert.equal(projectOf(who.page), project);
}

// Steps through the UI on the way to a script's own task (sso.test.mjs's org admin; tasks-chat-channels:
// the user menu made again after a new project made in the browser). Each is checked where it is the
// task: tasks-onboarding.test.mjs.

/** Signs `who` up on the first page, makes an org and a project in it; answers the project id. */
export async function founder(who, org, project) {
  const { page } = who;
  await page.goto(URL);
  await page.locator('form#sign-in').waitFor();
  await signUp(who);
  await page.click('#create-org');
  await page.fill('#new-org-name', org);
  await page.click('form#new-org button[type=submit]');
  await page.fill('#new-project-name', project);
  await page.click('form#new-project button[type=submit]');
  await cardPage(page);
  return projectOf(page);
}

/**
 * Through the UI: `who` (signed up, on the first-run choice or anywhere in the shell) creates an org
 * and a project in it, and lands on the project's first page. Returns the project's id.
 */
export async function makeProject(who, org, project) {
  const { page } = who;
  // Once the shell has opened its first page (else that opening could replace the form), from the sidebar.
  await page.locator('#page[data-shell] > *, #page[data-rendered] .ac-adaptiveCard').first().waitFor();
  await page.click('#sidebar a[href="#/new-org"]');
  await shellPage(page, 'form#new-org');
  await page.fill('#new-org-name', org);
  await page.click('form#new-org button[type=submit]');
  await shellPage(page, 'form#new-project');
  await page.fill('#new-project-name', project);
  await page.click('form#new-project button[type=submit]');
  await cardPage(page);
  return projectOf(page);
}

/** Joins a public channel from the sidebar; the channel's page opens. */
export async function joinFromSidebar(who, name) {
  const other = who.page.locator('#channels .not-joined', { hasText: name });
  await other.waitFor();
  await other.getByRole('button', { name: `Join #${name}` }).click();
  await who.page.waitForFunction(() => location.hash.includes('/chat/channel?channelId='));
  await cardPage(who.page);
}
