// Hearth.Typing: "Ann is typing…" under a timeline, from the ephemeral `typing` events ({userId}) of
// a topic. A name goes away 6 s after its last event, or at once when that person's message arrives;
// the reader's own events are not shown. The line keeps its height, so the page never jumps.
// typingNotifier is the other end, used by Hearth.Composer: it calls the typing RPC at most once per
// 3 s while the reader types (the node thins to one event per 2 s per user and channel anyway).
import { CardElement, StringProperty, Versions } from 'adaptivecards';
import { hostServices, keep, onLive } from './services';
import type { HostServices } from './services';

/** How long a "… is typing" lasts after the last event; senders repeat every 3 s while typing. */
export const TYPING_SHOWN_MS = 6000;
const TYPING_EVERY_MS = 3000;

export class HearthTyping extends CardElement {
  static readonly JsonTypeName = 'Hearth.Typing';
  static readonly requiredProperties = ['topic'];

  /** The realtime topic whose ephemeral `typing` events ({userId}) are shown. */
  static readonly topicProperty = new StringProperty(Versions.v1_0, 'topic', true);
  /** Answers {members: [{userId, displayName}]}: the names shown (else a short id). */
  static readonly authorsRpcProperty = new StringProperty(Versions.v1_0, 'authorsRpc', true);

  getJsonTypeName(): string {
    return HearthTyping.JsonTypeName;
  }

  protected internalRender(): HTMLElement | undefined {
    const topic = this.getValue(HearthTyping.topicProperty) ?? '';
    const authorsRpc = this.getValue(HearthTyping.authorsRpcProperty) ?? '';
    const services = hostServices();
    if (!services) return line();
    return keep(`typing\n${topic}`, () => new TypingLine(services, topic, authorsRpc)).element;
  }
}

function line(): HTMLElement {
  const p = document.createElement('p');
  p.className = 'hearth-typing';
  return p;
}

class TypingLine {
  readonly element = line();
  private readonly typing = new Map<string, number>();
  private names = new Map<string, string>();

  constructor(private readonly services: HostServices, private readonly topic: string, authorsRpc: string) {
    this.element.setAttribute('aria-live', 'polite');
    if (authorsRpc) {
      services.rpc<{ members?: Array<{ userId: string; displayName?: string }> }>(authorsRpc, {})
        .then((a) => { this.names = new Map((a.members ?? []).filter((m) => m.displayName).map((m) => [m.userId, m.displayName!])); this.draw(); })
        .catch((e) => console.warn('typing: names not loaded', e));
    }
    onLive((t, event, data) => {
      if (t !== topic) return false;
      const user = String((event === 'typing' ? data.userId : data.authorId) ?? '');
      if (event === 'typing') {
        if (user && user !== services.user) this.set(user, true);
        return true;
      }
      if (event === 'message.created' && this.typing.has(user)) this.set(user, false);
      return false;
    });
  }

  private set(user: string, on: boolean): void {
    window.clearTimeout(this.typing.get(user));
    if (on) this.typing.set(user, window.setTimeout(() => this.set(user, false), TYPING_SHOWN_MS));
    else this.typing.delete(user);
    this.draw();
  }

  private draw(): void {
    const t = this.services.t;
    const who = [...this.typing.keys()].map((u) => this.names.get(u) ?? `@${u.slice(-6)}`);
    this.element.dataset.typing = who.join(',');
    this.element.textContent = who.length === 0 ? ''
      : who.length === 1 ? t('shell.chat.typing.one').replace('{0}', who[0])
        : who.length === 2 ? t('shell.chat.typing.two').replace('{0}', who[0]).replace('{1}', who[1])
          : t('shell.chat.typing.many');
  }
}

/** A function to call on every keystroke: it tells the node at most once per 3 s. */
export function typingNotifier(services: HostServices, rpc: string, channelId: string): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < TYPING_EVERY_MS) return;
    last = now;
    services.rpc(rpc, { channelId }).catch((e) => console.warn('typing not sent', e));
  };
}
