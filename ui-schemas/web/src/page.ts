// One open page: its definition (template, data sources, topics, params) from the node, its data
// from the RPCs it names, rendered as a card. Submit actions either call an RPC (then the data is
// reloaded) or open another page. Realtime events on the page's topics change the data as the
// sources' live rules say (live.ts), or reload it when no rule names the event.
import { ApiError, call, rpc, using } from './api';
import { hostConfig, prepare, render, Rendered } from './cards';
import { avatarUrl } from './avatar';
import { offerLive, useHostServices } from './hosts/services';
import type { FileEntry } from './hosts/services';
import { isChannelPage, lostChannel, refused, removed } from './lost';
import { recordReads, sharedRead, templatesOf } from './reads';
import type { Read } from './reads';
import { pageCard } from './page-card';
import { t } from './prefs';
import type { Route } from './router';
import { applyRule, matchRule } from './live';
import type { LiveRule } from './live';

/** Page as GET /v1/pages/{module}/{name} answers (hearth.ui.v1.Page in proto JSON). */
interface PageDef {
  moduleId: string;
  name: string;
  title: string;
  templateJson: string;
  sources: Array<{ name: string; rpc: string; requestJson: string; field: string; live?: LiveRule[] }>;
  topics: string[];
  params: string[];
}

/** A page's definition and its module's strings in one language. */
interface Definition { def: PageDef; strings: Record<string, string> }

/** The definitions this tab has fetched, by module, page and language (see PageView.open). */
const definitions = new Map<string, Definition>();

/**
 * The reads a page's host elements made as it first rendered, that depend only on its parameters
 * (reads.ts, templatesOf), by module and page: opened again with other parameters (the next channel),
 * the page makes them beside its data sources, and the elements, asking as they render, share those
 * answers instead of waiting for a second round trip.
 */
const foretold = new Map<string, Read[]>();
/**
 * How long after its first render a page's reads are noted for `foretold`. A page closed sooner (a
 * quick switch to the next channel) adds what it read until then, and the next opening notes again.
 */
const LEARN_MS = 1_000;
/** The pages noted for a whole LEARN_MS: not noted again in this tab. */
const learned = new Set<string>();

export interface PageContext {
  route: Route;
  user: string;
  locale: string;
  theme: 'light' | 'dark';
  /** Navigate to another page of the same project. */
  open: (module: string, page: string, params: Record<string, string>) => void;
  /** Follow exactly these topics (already substituted). */
  follow: (topics: string[]) => void;
  /** An action's RPC succeeded (the shell's chrome may show what it changed). */
  acted?: (method: string) => void;
  /** Follow these topics besides the page's, for its host elements (a video room's signal topic). */
  followAlso?: (topics: string[]) => void;
  /** Resolves once a followed topic is live. */
  whenLive?: (topic: string) => Promise<void>;
}

export class PageView {
  private def?: PageDef;
  private template: object = {};
  private strings: Record<string, string> = {};
  private data: Record<string, unknown> = {};
  /** Whether the page's data loaded once: until then (its first load failed) the template is not expanded. */
  private loaded = false;
  /** Why the data never loaded: shown again when the page is re-rendered (a theme change). */
  private loadError?: string;
  private rendered?: Rendered;
  private closed = false;
  private reloadTimer?: number;
  /** Reads to make beside the data sources on the first load (see `foretold`). */
  private foretell: Read[] = [];
  private stopRecording?: () => Read[];
  /** Sources a live rule asked to load again, loaded together after a burst. */
  private pendingSources = new Set<string>();
  private sourceTimer?: number;
  private renderTimer?: number;
  /** Counts show() calls: one overtaken by a later one (two theme flips in a row) does not draw. */
  private shows = 0;

  constructor(private readonly host: HTMLElement, private ctx: PageContext) {}

  /** Fetches the page, its strings and its data, renders it and follows its topics. */
  async open(): Promise<void> {
    const { module, page } = this.ctx.route;
    const loc = encodeURIComponent(this.ctx.locale);
    const key = `${module}/${page}?locale=${loc}`;
    const fetchDef = async (): Promise<Definition> => {
      const [def, strings] = await Promise.all([
        call<PageDef>('GET', `/v1/pages/${module}/${page}?locale=${loc}`),
        call<{ texts: Record<string, string> }>('GET', `/v1/strings/${module}?locale=${loc}`),
      ]);
      const fetched = { def, strings: strings.texts ?? {} };
      definitions.set(key, fetched);
      return fetched;
    };
    // A page opened before in this tab (the next channel of a switch) renders from the definition it
    // had, while the node is asked again; a definition that changed since (a module upgraded) is
    // applied when it comes.
    const known = definitions.get(key);
    if (known) {
      void fetchDef().then((fresh) => {
        if (this.closed || JSON.stringify(fresh) === JSON.stringify(known)) return;
        this.define(fresh);
        return this.reload();
      }, () => definitions.delete(key));
    }
    const definition = known ?? await fetchDef();
    if (this.closed) return;
    this.define(definition);
    const pageKey = `${module}/${page}`;
    this.foretell = [...(foretold.get(pageKey) ?? [])];
    if (!learned.has(pageKey)) this.stopRecording = recordReads();
    const project = this.ctx.route.project;
    useHostServices({
      rpc: (method, request) => sharedRead(method, request, () => rpc(method, request, project)), user: this.ctx.user, t, describe, params: this.ctx.route.params, picture: avatarUrl,
      follow: this.ctx.followAlso, whenLive: this.ctx.whenLive,
      upload: (file, name) => using(async (c) => await c.fileTransfer.upload({ projectId: project, name, content: file }) as FileEntry),
      download: (id) => using(async (c) => (await c.fileTransfer.download({ projectId: project, fileId: id })).blob()),
    });
    await this.reload();
    if (this.stopRecording) window.setTimeout(() => { if (!this.closed) this.learn(true); }, LEARN_MS);
  }

  /** Adds the reads noted since the page opened to what the page foretells; `whole`: noted for LEARN_MS, done. */
  private learn(whole: boolean): void {
    const reads = this.stopRecording?.();
    this.stopRecording = undefined;
    if (!reads) return;
    const pageKey = `${this.ctx.route.module}/${this.ctx.route.page}`;
    const all = new Map((foretold.get(pageKey) ?? []).map((r) => [`${r.method} ${JSON.stringify(r.request)}`, r]));
    for (const r of templatesOf(reads, this.vars())) all.set(`${r.method} ${JSON.stringify(r.request)}`, r);
    foretold.set(pageKey, [...all.values()]);
    if (whole) learned.add(pageKey);
  }

  private define({ def, strings }: Definition): void {
    this.def = def;
    this.template = JSON.parse(def.templateJson);
    this.strings = strings;
    document.title = def.title;
    this.ctx.follow(def.topics.map((t) => this.substitute(t)));
  }

  /**
   * Reloads the data and re-renders, keeping what the user typed unless `keepInputs` is false (after
   * a successful submit). Inputs are read when the new card replaces the old, not before the fetch,
   * so a reload that overlaps a submit cannot bring back the text just sent.
   */
  async reload(error?: string, keepInputs = true): Promise<void> {
    if (!this.def) return;
    offerLive('', 'page.reloaded', {}); // host elements that load their own data refresh it too
    const before = this.data;
    try {
      await this.loadData();
    } catch (e) {
      if (!this.closed && isChannelPage(this.ctx.route) && refused(e)) return this.lost(before);
      error = describe(e);
      if (!this.loaded) this.loadError = error;
    }
    if (this.closed) return;
    if (isChannelPage(this.ctx.route) && removed(this.ctx.user, before, this.data)) return this.lost(before);
    await this.show(error, keepInputs ? this.rendered?.inputs() : undefined);
  }

  /** The reader lost the channel on screen (lost.ts): its state instead of the card, until they join again. */
  private lost(before: Record<string, unknown>): void {
    this.data = before;
    this.rendered = undefined;
    this.host.replaceChildren(lostChannel(this.ctx.route, before, () => void this.reload()));
    this.host.dataset.lost = 'true';
  }

  /**
   * Realtime: an event a host element applied (a timeline's new message) changes nothing else;
   * other events, several in a burst, cause one reload.
   */
  changed(topic = '', event = '', data: Record<string, unknown> = {}): void {
    if (topic && offerLive(topic, event, data)) return;
    if (topic && this.applyLive(event, data)) return;
    window.clearTimeout(this.reloadTimer);
    this.reloadTimer = window.setTimeout(() => void this.reload(), 50);
  }

  /**
   * Applies an event to the data by the sources' live rules (docs/web.md, "Live"): each source's
   * first matching rule upserts, merges or removes the event's record by key, loads that source
   * alone again, or keeps it. False when no source has a rule for the event (the page reloads).
   * The card is rendered again only when some data changed, once per burst.
   */
  private applyLive(event: string, data: Record<string, unknown>): boolean {
    const def = this.def;
    if (!def || this.host.dataset.lost || !def.sources.some((s) => s.live?.length)) return false;
    const matched = def.sources.map((s) => matchRule(s.live ?? [], event, data, (v) => this.substitute(v)));
    if (!matched.some(Boolean)) return false;
    const before = this.data;
    let next = before;
    def.sources.forEach((s, i) => {
      const rule = matched[i];
      if (!rule || rule.op === 'keep') return;
      if (rule.op === 'reload') return void this.pendingSources.add(s.name);
      const applied = applyRule(rule, next[s.name], data);
      if (applied === undefined) return void this.pendingSources.add(s.name); // cannot apply: load it instead
      if (applied !== next[s.name]) next = { ...next, [s.name]: applied };
    });
    this.host.dataset.applied = String(Number(this.host.dataset.applied ?? 0) + 1);
    if (next !== before) {
      // The reader left (the data on screen still lists them): the node says what they may still see.
      if (isChannelPage(this.ctx.route) && removed(this.ctx.user, before, next)) {
        void this.reload();
        return true;
      }
      this.data = next;
      window.clearTimeout(this.renderTimer);
      this.renderTimer = window.setTimeout(() => void this.show(undefined, this.rendered?.inputs()), 0);
    }
    if (this.pendingSources.size) {
      window.clearTimeout(this.sourceTimer);
      this.sourceTimer = window.setTimeout(() => void this.reloadSources(), 50);
    }
    return true;
  }

  /** Loads the sources live rules asked for, alone, and renders again when their data changed. */
  private async reloadSources(): Promise<void> {
    const def = this.def;
    const names = [...this.pendingSources];
    this.pendingSources.clear();
    if (!def || !names.length) return;
    const sources = def.sources.filter((s) => names.includes(s.name));
    let answers: unknown[];
    try {
      answers = await Promise.all(sources.map((s) =>
        rpc(s.rpc, this.substitute(JSON.parse(s.requestJson || '{}')), this.ctx.route.project)));
    } catch {
      return void this.reload(); // the whole page says what went wrong (a lost channel, an error)
    }
    if (this.closed) return;
    const before = this.data;
    const next = { ...before };
    sources.forEach((s, i) => { next[s.name] = s.field ? (answers[i] as any)?.[s.field] : answers[i]; });
    if (sources.every((s) => JSON.stringify(next[s.name]) === JSON.stringify(before[s.name]))) return;
    if (isChannelPage(this.ctx.route) && removed(this.ctx.user, before, next)) return void this.reload();
    this.data = next;
    await this.show(undefined, this.rendered?.inputs());
  }

  /**
   * The realtime connection came back and the missed events were resumed by sequence (they arrive
   * as events; when the node no longer had them the page reloads instead): host elements that keep
   * state of their own (a video room) check it.
   */
  resumed(): void {
    offerLive('', 'realtime.resumed', {});
  }

  /** Re-renders with the current theme's host config (data unchanged); a lost channel's state is the chrome's, themed by CSS. */
  async rethemed(theme: 'light' | 'dark'): Promise<void> {
    this.ctx = { ...this.ctx, theme };
    if (this.host.dataset.lost) {
      this.host.dataset.theme = theme;
      return;
    }
    await this.show(undefined, this.rendered?.inputs());
  }

  close(): void {
    this.closed = true;
    this.learn(false);
    useHostServices(undefined);
    window.clearTimeout(this.reloadTimer);
    window.clearTimeout(this.sourceTimer);
    window.clearTimeout(this.renderTimer);
  }

  private async loadData(): Promise<void> {
    const def = this.def!;
    // Shared with the page's host elements asking for the same list as they render (reads.ts).
    const project = this.ctx.route.project;
    for (const { method, request } of this.foretell.splice(0)) {
      const filled = this.substitute(request);
      void sharedRead(method, filled, () => rpc(method, filled, project)).catch(() => { /* the element asks again and shows its error */ });
    }
    const answers = await Promise.all(def.sources.map((s) => {
      const request = this.substitute(JSON.parse(s.requestJson || '{}'));
      return sharedRead(s.rpc, request, () => rpc(s.rpc, request, this.ctx.route.project));
    }));
    const data: Record<string, unknown> = {
      strings: this.strings,
      params: this.ctx.route.params,
      project: this.ctx.route.project,
      user: this.ctx.user,
    };
    def.sources.forEach((s, i) => { data[s.name] = s.field ? (answers[i] as any)[s.field] : answers[i]; });
    this.data = data;
    this.loaded = true;
  }

  private async show(error: string | undefined, inputs: Record<string, string> | undefined): Promise<void> {
    const seq = ++this.shows;
    // Before its data ever loaded, a page is its error on an empty card (page-card.ts).
    const { template, data } = pageCard(this.template, this.loaded ? this.data : undefined);
    if (!this.loaded) error ??= this.loadError;
    const [hc, full] = await Promise.all([hostConfig(this.ctx.theme),
      // The full template engine, when the light expander cannot take this template with this data.
      prepare(template, data).catch(() => undefined /* render() shows the failure in the card */)]);
    // Said on the console, so a page that loads the engine's ~250 kB chunk is noticed (the task scripts fail on it).
    if (full) console.warn(`hearth: the full template engine expands ${this.ctx.route.module}/${this.ctx.route.page}: ${full}`);
    // A later show() (the theme flipped again meanwhile) draws instead: else the older theme could land last.
    if (this.closed || seq !== this.shows) return;
    // After a successful submit (no inputs to keep) its form closes; otherwise open forms stay open.
    const open = inputs ? this.openShowCards() : [];
    // The card on screen, when its typed inputs are kept: render() answers it as it is if nothing it shows changed.
    const shown = inputs && this.rendered && !this.host.dataset.lost && this.rendered.element.parentNode === this.host ? this.rendered : undefined;
    const next = render({
      template, data, hostConfig: hc, error, inputs,
      onSubmit: (d) => void this.submit(d),
    }, shown);
    // The theme the card on screen is drawn in (the chrome's is <html data-theme>): known once drawn.
    this.host.dataset.theme = this.ctx.theme;
    if (next === shown) {
      this.host.dataset.unchanged = String(Number(this.host.dataset.unchanged ?? 0) + 1);
      return;
    }
    this.rendered = next;
    const focus = focused(this.host);
    this.host.replaceChildren(this.rendered.element);
    focus?.();
    delete this.host.dataset.lost;
    this.reopenShowCards(open);
    this.host.dataset.rendered = String(Number(this.host.dataset.rendered ?? 0) + 1);
    performance.mark('hearth:page-rendered');
  }

  private async submit(data: Record<string, unknown>): Promise<void> {
    const { rpc: method, open, openParams, download, ...rest } = data;
    if (typeof method === 'string' && download && typeof download === 'object') return this.callThenSave(method, download as Record<string, unknown>, rest);
    if (typeof open === 'string' && typeof method === 'string') return this.callThenOpen(method, open, openParams, rest);
    if (typeof open === 'string') {
      const [module, page] = open.split('/');
      this.ctx.open(module, page, Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])));
      return;
    }
    if (typeof method !== 'string') return;
    // An input left empty is not sent: for the node, "not set" (a default applies), not "" (which a
    // number field cannot even parse).
    const body = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
    try {
      await rpc(method, body, this.ctx.route.project);
    } catch (e) {
      await this.show(describe(e), this.rendered?.inputs());
      return;
    }
    this.ctx.acted?.(method);
    // Both: the RPC first, then (only when it succeeded) the page `open` names, without parameters.
    if (typeof open === 'string') {
      const [module, page] = open.split('/');
      this.ctx.open(module, page, {});
      return;
    }
    await this.reload(undefined, false);
  }

  /**
   * The ShowCard buttons that are open, by their place among the card's ShowCard buttons: a
   * re-render (live data, a theme change) opens them again, so a form someone is filling in does
   * not fold away under them (its inputs are kept anyway).
   */
  private openShowCards(): number[] {
    const buttons = this.rendered?.element.querySelectorAll('button[aria-expanded]') ?? [];
    return [...buttons].flatMap((b, i) => (b.getAttribute('aria-expanded') === 'true' ? [i] : []));
  }

  private reopenShowCards(open: number[]): void {
    if (!open.length || !this.rendered) return;
    const buttons = this.rendered.element.querySelectorAll<HTMLButtonElement>('button[aria-expanded]');
    for (const i of open) if (buttons[i]?.getAttribute('aria-expanded') === 'false') buttons[i].click();
  }

  /**
   * `rpc` and `open` together: the call is made, then the page opens with the parameters
   * `openParams` names, each taken from a field of the answer ({"roomId": "id"}). A refusal stays
   * on this card with what was typed.
   */
  private async callThenOpen(method: string, open: string, openParams: unknown, rest: Record<string, unknown>): Promise<void> {
    const body = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
    let answer: Record<string, unknown>;
    try {
      answer = (await rpc<Record<string, unknown>>(method, body, this.ctx.route.project)) ?? {};
    } catch (e) {
      await this.show(describe(e), this.rendered?.inputs());
      return;
    }
    const names = openParams && typeof openParams === 'object' ? openParams as Record<string, unknown> : {};
    const params = Object.fromEntries(Object.entries(names).map(([param, field]) => [param, String(answer[String(field)] ?? '')]));
    const [module, page] = open.split('/');
    this.ctx.open(module, page, params);
  }

  /**
   * `rpc` and `download`: the call is made and the answer's text field `download.content` is saved
   * as a file named by its field `download.name` (of type `download.type`, text/plain by default),
   * the way the browser saves any download. A refusal stays on this card with what was typed.
   */
  private async callThenSave(method: string, download: Record<string, unknown>, rest: Record<string, unknown>): Promise<void> {
    const body = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
    let answer: Record<string, unknown>;
    try {
      answer = (await rpc<Record<string, unknown>>(method, body, this.ctx.route.project)) ?? {};
    } catch (e) {
      await this.show(describe(e), this.rendered?.inputs());
      return;
    }
    const content = String(answer[String(download.content ?? 'content')] ?? '');
    const name = String(answer[String(download.name ?? 'fileName')] ?? '') || 'download.txt';
    const type = typeof download.type === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(download.type) ? download.type : 'text/plain';
    const url = URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** What `substitute` replaces, by name. */
  private vars(): Record<string, string> {
    const params = Object.fromEntries(Object.entries(this.ctx.route.params).map(([k, v]) => [`params.${k}`, v]));
    return { ...params, project: this.ctx.route.project, user: this.ctx.user };
  }

  /** Replaces ${project}, ${user} and ${params.x} in every string of `value`. */
  private substitute<T>(value: T): T {
    const vars = (name: string): string | undefined => {
      if (name === 'project') return this.ctx.route.project;
      if (name === 'user') return this.ctx.user;
      if (name.startsWith('params.')) return this.ctx.route.params[name.slice(7)] ?? '';
      return undefined;
    };
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return v.replace(/\$\{([\w.-]+)\}/g, (m, name) => vars(name) ?? m);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}

/** An error as the card shows it: the API's code and message. */
export function describe(e: unknown): string {
  if (e instanceof ApiError) return `${e.code}: ${e.message}`;
  return String(e);
}

/**
 * The element with an id that has the focus inside `host`, and where its caret is: answers what puts
 * them back on the element with that id once the card is drawn again (a theme change redraws it
 * while someone types).
 */
function focused(host: HTMLElement): (() => void) | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !active.id || !host.contains(active)) return undefined;
  const field = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active : undefined;
  let caret: [number, number] | undefined;
  try {
    caret = field && field.selectionStart !== null ? [field.selectionStart, field.selectionEnd ?? field.selectionStart] : undefined;
  } catch { /* an input type without a caret (number, date) */ }
  return () => {
    const again = document.getElementById(active.id);
    if (!again || !host.contains(again)) return;
    again.focus({ preventScroll: true });
    if (caret && (again instanceof HTMLInputElement || again instanceof HTMLTextAreaElement)) {
      try { again.setSelectionRange(...caret); } catch { /* no caret here */ }
    }
  };
}
