// The web client's benchmark (issue 17): what a person waits for in the shell, measured in headless
// Chromium against a running node. Not a test: it prints figures and fails only when it cannot
// measure. Setup (users, org, project, channels, seeded messages) goes through the API, since what
// is measured is the browser's side. See docs/benchmarks.md, "Web client".
//
//   npm run bench -- --url http://127.0.0.1:18181 [--messages 200] [--history 200] [--big 10000] [--json]
//
// The node must allow many writes per user (the seeding posts thousands of messages as one user):
// `identity.writesPerUserPerMinute` and `identity.authAttemptsPerAddress` raised, as for `hearth bench chat`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launch } from '../e2e/shell.mjs';

// The chat page's elements. The page is being reworked (Hearth.Timeline / Hearth.Composer), so every
// selector the bench depends on is here, to be updated in one place.
const SEL = {
  page: '#page',                               // the shell's element holding the module page's card
  rendered: '#page[data-rendered]',            // the same, once the shell has rendered the card in it
  message: 'article.hearth-msg',               // one message in Hearth.Timeline (inside `page`)
  messageText: '.hearth-msg-text',             // its text, inside `message`
  composer: '.hearth-composer textarea',       // Hearth.Composer's input (inside `page`); Enter sends
  sidebarChannel: (id) => `#channels li[data-channel="${id}"] a`, // a joined channel in the sidebar
  signInEmail: 'input[name=email]',
  signInPassword: 'input[name=password]',
  signInSubmit: 'form.sign-in button[type=submit]',
};
const PERF_MARK = 'hearth:page-rendered';
// Where vite writes the shell (see vite.config.ts): the files the kernel's jar serves.
const BUILT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'target', 'classes', 'web');

function options(argv) {
  const o = { url: process.env.HEARTH_URL, messages: 200, history: 200, big: 10_000, json: false, timeoutMs: 15_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    const count = (name, min) => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) usage(`${name} must be a whole number ≥ ${min}, not "${v}"`);
      return n;
    };
    if (a === '--url') o.url = value().replace(/\/+$/, '');
    else if (a === '--messages') o.messages = count('--messages', 1);
    else if (a === '--history') o.history = count('--history', 1);
    else if (a === '--big') o.big = count('--big', 0);
    else if (a === '--json') o.json = true;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  if (!o.url) usage('--url (or HEARTH_URL) is required: the node to measure');
  return o;
}

function usage(problem) {
  if (problem) console.error(`web-bench: ${problem}`);
  console.error('usage: npm run bench -- --url URL [--messages N=200] [--history N=200] [--big N=10000 (0 skips)] [--json]');
  process.exit(problem ? 2 : 0);
}

const log = (...a) => console.error('web-bench:', ...a);

/** The node's API, as the bench's setup uses it. */
class Api {
  constructor(url) { this.url = url; }

  async call(method, path, token, body) {
    const res = await fetch(this.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : {};
  }
}

/** Two members of one project, a live channel and a history channel (plus the big one), as the API makes them. */
async function setup(api, o) {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const ann = { email: `ann-${stamp}@bench.test`, password: 'bench-password-1' };
  const bob = { email: `bob-${stamp}@bench.test`, password: 'bench-password-1' };
  ann.token = (await api.call('POST', '/v1/auth/sign-up', null, ann)).accessToken;
  const org = (await api.call('POST', '/v1/orgs', ann.token, { name: 'web bench' })).id;
  const project = (await api.call('POST', `/v1/orgs/${org}/projects`, ann.token, { name: 'web bench' })).id;
  const code = (await api.call('POST', `/v1/projects/${project}/invites`, ann.token,
    { role: 'project-user', maxUses: 1, expiresInSeconds: 3600 })).code;
  bob.token = (await api.call('POST', '/v1/auth/sign-up', null, { ...bob, inviteCode: code })).accessToken;
  const channels = {};
  const names = { live: 'live', history: 'history', ...(o.big ? { big: 'big' } : {}) };
  for (const [key, name] of Object.entries(names)) {
    const id = (await api.call('POST', `/v1/projects/${project}/chat/channels`, ann.token, { name, visibility: 'PUBLIC' })).id;
    await api.call('POST', `/v1/projects/${project}/chat/channels/${id}/join`, bob.token, {});
    channels[key] = id;
  }
  await seed(api, ann, project, channels.history, o.history);
  if (o.big) await seed(api, ann, project, channels.big, o.big);
  return { ann, bob, project, channels };
}

/** Posts `n` messages to a channel, 16 at a time (the node's writes are group-committed). */
async function seed(api, who, project, channel, n) {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await api.call('POST', `/v1/projects/${project}/chat/channels/${channel}/messages`, who.token,
        { text: `seeded message ${i + 1} of ${n}: the quick brown fox jumps over the lazy dog` });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, n) }, worker));
  log(`seeded ${n} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function signIn(browser, who, start) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(start);
  await page.fill(SEL.signInEmail, who.email);
  await page.fill(SEL.signInPassword, who.password);
  await page.click(SEL.signInSubmit);
  await page.waitForSelector(`${SEL.rendered} ${SEL.composer}`);
  return { context, page };
}

const channelUrl = (o, project, channel) => `${o.url}/#/p/${project}/chat/channel?channelId=${channel}`;

/**
 * Figure 1: the receiver's page records, with a MutationObserver, when each message's text first
 * appears; the sender records when it pressed Enter. Both pages are in one browser (one process's
 * clock), so `performance.timeOrigin + performance.now()` of both are comparable.
 */
async function sendToVisible(o, browser, w) {
  const url = channelUrl(o, w.project, w.channels.live);
  const sender = await signIn(browser, w.ann, url);
  const receiver = await signIn(browser, w.bob, url);
  try {
    await receiver.page.evaluate(({ message, text }) => {
      window.benchSeen = new Map();
      const look = () => {
        const now = performance.timeOrigin + performance.now();
        for (const m of document.querySelectorAll(message)) {
          const match = /^bench (\d+) /.exec(m.querySelector(text)?.textContent ?? '');
          if (match && !window.benchSeen.has(match[1])) window.benchSeen.set(match[1], now);
        }
      };
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true, characterData: true });
    }, { message: `${SEL.page} ${SEL.message}`, text: SEL.messageText });
    const box = sender.page.locator(`${SEL.page} ${SEL.composer}`);
    const latencies = [];
    for (let i = 0; i < o.messages; i++) {
      await box.fill(`bench ${i} sent at ${new Date().toISOString()}`);
      const sentAt = await sender.page.evaluate(() => performance.timeOrigin + performance.now());
      await box.press('Enter');
      const seenAt = await receiver.page.waitForFunction((k) => window.benchSeen.get(k), String(i),
        { timeout: o.timeoutMs, polling: 'raf' }).then((h) => h.jsonValue());
      latencies.push(seenAt - sentAt);
      // The next message waits for the sender's input to be emptied (its post answered).
      await sender.page.waitForFunction((sel) => document.querySelector(sel)?.value === '', `${SEL.page} ${SEL.composer}`, { timeout: o.timeoutMs });
      if ((i + 1) % 50 === 0) log(`sent ${i + 1}/${o.messages}`);
    }
    return { count: latencies.length, ...stats(latencies) };
  } finally {
    await sender.context.close();
    await receiver.context.close();
  }
}

/**
 * Figure 2: a fresh context (nothing cached) opens the 200-message channel's address, gets the
 * sign-in screen, signs in and sees the channel; the network log gives the JavaScript each step
 * fetched (gzipped here, as the node's compression would send it). Then a reload (the session
 * resumes from sessionStorage, the assets come from the HTTP cache): navigation start → the first
 * message element in the page, and → the shell's `hearth:page-rendered` mark (the card, before the
 * timeline's messages arrive).
 */
async function firstLoad(o, browser, w) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', serviceWorkers: 'block' });
  context.setDefaultTimeout(30_000);
  await context.addInitScript((sel) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(sel)) {
        window.benchFirstMessageAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, `${SEL.page} ${SEL.message}`);
  const page = await context.newPage();
  const scripts = new Map();
  const fetching = [];
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return;
    fetching.push(r.body().then((b) => scripts.set(new URL(r.url()).pathname, gzipSync(b, { level: 9 }).length),
      () => { /* a redirect or an aborted fetch has no body */ }));
  });
  const settled = async () => { await page.waitForLoadState('networkidle'); await Promise.all(fetching); return sum(scripts.values()); };
  try {
    await page.goto(channelUrl(o, w.project, w.channels.history));
    await page.waitForSelector(SEL.signInEmail);
    const signInScripts = await settled();
    const signInFiles = scripts.size;
    await page.fill(SEL.signInEmail, w.bob.email);
    await page.fill(SEL.signInPassword, w.bob.password);
    const t0 = await page.evaluate(() => performance.now());
    await page.click(SEL.signInSubmit);
    await waitForMessages(page, 1);
    const signInToChannelMs = await page.evaluate((t) => window.benchFirstMessageAt - t, t0);
    const channelScripts = await settled();
    const channelFiles = scripts.size;
    await page.reload();
    await waitForMessages(page, 1);
    const reload = await page.evaluate((m) => ({
      messages: window.benchFirstMessageAt, card: performance.getEntriesByName(m).at(0)?.startTime ?? null,
    }), PERF_MARK);
    return {
      signInScreenJsGzipBytes: signInScripts, signInScreenJsFiles: signInFiles,
      channelJsGzipBytes: channelScripts, channelJsFiles: channelFiles,
      allChunksJsGzipBytes: builtJs(), historyMessages: o.history,
      signInToChannelRenderedMs: round(signInToChannelMs),
      reloadToCardRenderedMs: reload.card === null ? null : round(reload.card),
      reloadToMessagesRenderedMs: round(reload.messages),
      renderedMessages: await page.locator(`${SEL.page} ${SEL.message}`).count(),
    };
  } finally {
    await context.close();
  }
}

/** Every JavaScript file the build made (ui-schemas/target/classes/web/assets), gzipped: what all chunks weigh together. */
function builtJs() {
  const dir = join(BUILT, 'assets');
  try {
    return sum(readdirSync(dir).filter((f) => f.endsWith('.js') && statSync(join(dir, f)).isFile())
      .map((f) => gzipSync(readFileSync(join(dir, f)), { level: 9 }).length));
  } catch {
    return null; // measuring a node at a URL without this checkout's build
  }
}

/**
 * Figure 3: sidebar click on another channel → its messages rendered (10 times, alternating between
 * the history channel and the big one), and opening the big channel by its address from another
 * channel (its first page). "Rendered" is the first message element that was not on the screen
 * before (the old ones are marked), in the page the shell marked rendered.
 */
async function switching(o, browser, w) {
  const { context, page } = await signIn(browser, w.bob, channelUrl(o, w.project, w.channels.history));
  try {
    await waitForMessages(page, 1);
    const other = w.channels.big ?? w.channels.live;
    const switches = [];
    const fromClickEvent = [];
    // The click event's time in the page: what the switch costs from the moment the browser has the
    // click, without the driver's own part of page.click (its checks and round trips before it).
    await page.evaluate(() => document.addEventListener('click', (e) => { window.benchClickAt = e.timeStamp; }, true));
    for (let i = 0; i < 10; i++) {
      const to = i % 2 === 0 ? other : w.channels.history;
      const t0 = await markOld(page);
      await page.click(SEL.sidebarChannel(to));
      const at = await newMessagesAt(page, to);
      switches.push(at - t0);
      fromClickEvent.push(at - await page.evaluate(() => window.benchClickAt));
    }
    const result = { switches: switches.length, channelSwitchMs: stats(switches), fromClickEventMs: stats(fromClickEvent) };
    if (w.channels.big) {
      const times = [];
      for (let i = 0; i < 5; i++) {
        await page.goto(channelUrl(o, w.project, w.channels.history));
        await newMessagesAt(page, w.channels.history);
        const t0 = await markOld(page);
        await page.goto(channelUrl(o, w.project, w.channels.big));
        times.push(await newMessagesAt(page, w.channels.big) - t0);
      }
      result.bigChannel = { messages: o.big, firstPageMessages: await page.locator(`${SEL.page} ${SEL.message}`).count(), openMs: stats(times) };
    }
    return result;
  } finally {
    await context.close();
  }
}

/** Marks the messages on screen as old; answers the page's clock. */
function markOld(page) {
  return page.evaluate((sel) => {
    for (const m of document.querySelectorAll(sel)) m.dataset.benchOld = '1';
    return performance.now();
  }, `${SEL.page} ${SEL.message}`);
}

/** The page's clock when a message not marked old is on the rendered page of `channel`. */
async function newMessagesAt(page, channel) {
  const h = await page.waitForFunction(({ sel, channel }) => location.hash.includes(`channelId=${channel}`)
    && document.querySelector(sel) !== null && performance.now(),
  { sel: `${SEL.rendered} ${SEL.message}:not([data-bench-old])`, channel }, { polling: 'raf' });
  return h.jsonValue();
}

function waitForMessages(page, n) {
  return page.waitForFunction(({ sel, n }) => document.querySelectorAll(sel).length >= n,
    { sel: `${SEL.rendered} ${SEL.message}`, n }, { polling: 'raf' });
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(s.at(-1)), min: round(s[0]) };
}

const sum = (xs) => [...xs].reduce((a, b) => a + b, 0);
const round = (x) => Math.round(x * 10) / 10;
const kb = (b) => (b === null ? 'n/a' : `${(b / 1000).toFixed(1)} kB`);

function summary(r) {
  const s = r.sendToVisible;
  const f = r.firstLoad;
  const lines = [
    `Web client, ${r.url}, ${r.when}, load average ${r.loadAverage.join(' ')}`,
    `send → visible on another context (${s.count} messages): p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms (goal p50 ≤ 100 ms)`,
    `first load: sign-in screen JS ${kb(f.signInScreenJsGzipBytes)} gzipped (${f.signInScreenJsFiles} files);`
      + ` channel JS ${kb(f.channelJsGzipBytes)} (${f.channelJsFiles} files); all built chunks ${kb(f.allChunksJsGzipBytes)}`,
    `channel of ${f.historyMessages} messages, ${f.renderedMessages} shown: sign-in click → messages rendered ${f.signInToChannelRenderedMs} ms;`
      + ` reload → card rendered (${PERF_MARK}) ${f.reloadToCardRenderedMs} ms, → messages rendered ${f.reloadToMessagesRenderedMs} ms`,
    `channel switch (sidebar click → messages rendered, ${r.switching.switches} switches): p50 ${r.switching.channelSwitchMs.p50} ms, p99 ${r.switching.channelSwitchMs.p99} ms, max ${r.switching.channelSwitchMs.max} ms`
      + `; from the click event in the page: p50 ${r.switching.fromClickEventMs.p50} ms, max ${r.switching.fromClickEventMs.max} ms`,
  ];
  if (r.switching.bigChannel) {
    const b = r.switching.bigChannel;
    lines.push(`open a channel of ${b.messages} messages (first page, ${b.firstPageMessages} shown, 5 opens): p50 ${b.openMs.p50} ms, p99 ${b.openMs.p99} ms, max ${b.openMs.max} ms`);
  }
  return lines.join('\n');
}

async function main() {
  const o = options(process.argv.slice(2));
  const { loadavg } = await import('node:os');
  const api = new Api(o.url);
  log(`setting up on ${o.url}`);
  const w = await setup(api, o);
  const browser = await launch();
  try {
    log(`send → visible, ${o.messages} messages`);
    const sendToVisibleResult = await sendToVisible(o, browser, w);
    log('first load');
    const firstLoadResult = await firstLoad(o, browser, w);
    log('channel switch');
    const switchingResult = await switching(o, browser, w);
    const r = {
      url: o.url, when: new Date().toISOString(), loadAverage: loadavg().map((x) => round(x)),
      sendToVisible: sendToVisibleResult, firstLoad: firstLoadResult, switching: switchingResult,
    };
    console.log(o.json ? JSON.stringify(r) : summary(r));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`web-bench: ${e.stack ?? e}`);
  process.exit(1);
});
