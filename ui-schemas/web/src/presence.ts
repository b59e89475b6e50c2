// The signed-in user's presence (chat's SetPresence). The node makes a user ONLINE while they have
// a realtime connection and OFFLINE after it; the shell adds the rest:
// - idle: after IDLE_AFTER_MS without a key, click, touch or pointer move (or with the tab hidden that
//   long) it sets IDLE, and the next activity sets ONLINE again;
// - a choice in the user menu: automatic (the above), do not disturb, or appear offline. The choice
//   is kept on this device and set again at every start, because the node forgets it when the
//   user's last connection closes.
// SetPresence is a project call (the status is the user's, shown in every project they share): it is
// made in the open project, or the last one opened.
import { rpc } from './api';
import { el } from './dom';
import { t } from './prefs';

export type Choice = 'auto' | 'DND' | 'OFFLINE';
const CHOICES: Choice[] = ['auto', 'DND', 'OFFLINE'];
const KEY = 'hearth.presence';
/** Five minutes without activity: idle. A test may shorten it with localStorage `hearth.idleAfterMs`. */
const IDLE_AFTER_MS = Number(localStorage.getItem('hearth.idleAfterMs')) || 5 * 60_000;

let project = '';
let idle = false;
let timer: number | undefined;
let sent = '';
let started = false;

export function choice(): Choice {
  const c = localStorage.getItem(KEY) as Choice | null;
  return c && CHOICES.includes(c) ? c : 'auto';
}

/** The project calls are made in; the first one starts the idle watch and sends the kept choice. */
export function presenceProject(p: string): void {
  if (!p || p === project) return;
  project = p;
  if (!started) start();
  sent = '';
  void send();
}

function start(): void {
  started = true;
  const active = (): void => {
    if (idle) {
      idle = false;
      void send();
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(() => { idle = true; void send(); }, IDLE_AFTER_MS);
  };
  let lastMove = 0;
  for (const type of ['keydown', 'pointerdown', 'touchstart', 'wheel']) window.addEventListener(type, active, { passive: true, capture: true });
  window.addEventListener('pointermove', () => {
    const now = Date.now();
    if (now - lastMove > 1000) { lastMove = now; active(); }
  }, { passive: true, capture: true });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) active(); });
  active();
}

/** What the node should hold now: the choice, or in automatic mode ONLINE / IDLE. */
function wanted(): string {
  const c = choice();
  return c !== 'auto' ? c : idle ? 'IDLE' : 'ONLINE';
}

async function send(): Promise<void> {
  const status = wanted();
  if (!project || status === sent) return;
  sent = status;
  await rpc('hearth.chat.v1.ChatService/SetPresence', { status }, project).catch((e) => {
    sent = '';
    console.warn('presence not set', e);
  });
}

/** The status picker of the user menu. */
export function presencePicker(): HTMLElement[] {
  return [
    el('label', { for: 'presence' }, t('shell.presence')),
    el('select', { id: 'presence', onchange: (e: Event) => {
      const picked = (e.target as HTMLSelectElement).value as Choice;
      localStorage.setItem(KEY, picked);
      void send();
    } }, ...CHOICES.map((c) => el('option', { value: c, selected: c === choice() }, t(`shell.presence.choice.${c.toLowerCase()}`)))),
  ];
}
