// "Notifications on this device" (Settings): Web Push through the shell's service worker (sw.js).
// Turning it on asks the browser's permission (from the click), subscribes with the node's VAPID key
// (GET /v1/me/push/key) and registers the subscription with the node (POST /v1/me/push/devices);
// turning it off unsubscribes and unregisters (DELETE /v1/me/push/devices/<id>). The device's id on
// the node is kept in this browser's storage. The node decides what is pushed (docs/notifications.md).
import { call } from './api';
import { el } from './dom';
import { errorText } from './forms';
import { t } from './prefs';

const DEVICE_KEY = 'hearth.pushDevice';

function supported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function b64url(buffer: ArrayBuffer | null): string {
  if (!buffer) return '';
  let s = '';
  for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function subscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.getRegistration();
  return reg ? reg.pushManager.getSubscription() : null;
}

async function turnOn(): Promise<void> {
  if ((await Notification.requestPermission()) !== 'granted') throw new Error(t('shell.push.denied'));
  const key = await call<{ vapidPublicKey: string }>('GET', '/v1/me/push/key');
  const reg = await navigator.serviceWorker.ready;
  // The key as the node gives it (base64url) is what subscribe() takes.
  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key.vapidPublicKey });
  const device = await call<{ deviceId: string }>('POST', '/v1/me/push/devices', {
    endpoint: sub.endpoint, p256dh: b64url(sub.getKey('p256dh')), auth: b64url(sub.getKey('auth')),
    label: navigator.userAgent.slice(0, 100),
  });
  localStorage.setItem(DEVICE_KEY, device.deviceId);
}

async function turnOff(): Promise<void> {
  const id = localStorage.getItem(DEVICE_KEY);
  if (id) await call('DELETE', `/v1/me/push/devices/${encodeURIComponent(id)}`).catch(() => undefined);
  localStorage.removeItem(DEVICE_KEY);
  await (await subscription())?.unsubscribe();
}

/** The switch and its state line, for the settings page. */
export function pushDeviceSwitch(): HTMLElement {
  const state = el('p', { class: 'note', id: 'push-device-state', role: 'status' });
  const box = el('input', { type: 'checkbox', id: 'push-device', 'aria-describedby': 'push-device-note push-device-state' }) as HTMLInputElement;
  const section = el('div', { class: 'push-device' },
    el('label', { for: 'push-device', class: 'check' }, box, t('shell.push.label')),
    el('p', { class: 'note', id: 'push-device-note' }, t('shell.push.note')), state);
  const show = (on: boolean) => { box.checked = on; state.textContent = t(on ? 'shell.push.on' : 'shell.push.off'); };
  if (!supported()) {
    box.disabled = true;
    state.textContent = t('shell.push.unsupported');
    return section;
  }
  box.disabled = true;
  // The node may not send push at all: then the switch stays off and says so.
  void call('GET', '/v1/me/push/key').then(async () => {
    box.disabled = false;
    show(Boolean(localStorage.getItem(DEVICE_KEY)) && Boolean(await subscription().catch(() => null)));
    if (Notification.permission === 'denied') state.textContent = t('shell.push.denied');
  }, () => { state.textContent = t('shell.push.unavailable'); });
  box.addEventListener('change', () => {
    const wanted = box.checked;
    box.disabled = true;
    (wanted ? turnOn() : turnOff()).then(() => show(wanted), (e) => {
      show(!wanted);
      state.textContent = t('shell.push.failed').replace('{0}', errorText(e));
    }).finally(() => { box.disabled = false; });
  });
  return section;
}
