// Hearth.Members: who is in a conversation and whether they are online, idle, do-not-disturb or
// offline — a disclosure ("Members · 2 online") that opens onto the list, so it takes one line on a
// phone. It loads the members, their names and their statuses itself, then applies the page's
// events: `presence` ({userId, status}) on `presenceTopic`, and `member.joined` / `member.left` on
// `topic` (the list is asked for again). Whether it is open survives a re-render of the card. With
// `removeRpc`, whoever the node lets (its `mayRemoveMembers`) removes a member from the list, after
// saying yes beside the name.
import { CardElement, StringProperty, Versions } from 'adaptivecards';
import { initials } from './timeline-view';
import { hostServices, keep, onLive } from './services';
import type { HostServices } from './services';

export type Status = 'ONLINE' | 'IDLE' | 'DND' | 'OFFLINE';
const ORDER: Status[] = ['ONLINE', 'IDLE', 'DND', 'OFFLINE'];

export class HearthMembers extends CardElement {
  static readonly JsonTypeName = 'Hearth.Members';
  static readonly requiredProperties = ['source', 'channelId'];

  /** The members RPC: called with {channelId}, answers {members: [{userId, admin}], mayRemoveMembers} (ChatService/ListMembers). */
  static readonly sourceProperty = new StringProperty(Versions.v1_0, 'source', true);
  static readonly channelIdProperty = new StringProperty(Versions.v1_0, 'channelId', true);
  /** Answers {members: [{userId, displayName}]}: names (else a short id). */
  static readonly namesRpcProperty = new StringProperty(Versions.v1_0, 'namesRpc', true);
  /** Called with {userIds}, answers {users: [{userId, status}]} (ChatService/GetPresence); without it no statuses. */
  static readonly presenceRpcProperty = new StringProperty(Versions.v1_0, 'presenceRpc', true);
  /** The topic of `member.joined` / `member.left` events. */
  static readonly topicProperty = new StringProperty(Versions.v1_0, 'topic', true);
  /** The topic of `presence` events ({userId, status}). */
  static readonly presenceTopicProperty = new StringProperty(Versions.v1_0, 'presenceTopic', true);
  /** Called with {channelId, userId} to remove a member (ChatService/RemoveMember); offered to whom the members RPC says may (mayRemoveMembers). */
  static readonly removeRpcProperty = new StringProperty(Versions.v1_0, 'removeRpc', true);

  getJsonTypeName(): string {
    return HearthMembers.JsonTypeName;
  }

  private text(p: StringProperty): string {
    return this.getValue(p) ?? '';
  }

  protected internalRender(): HTMLElement | undefined {
    const o: MembersOptions = {
      source: this.text(HearthMembers.sourceProperty),
      channelId: this.text(HearthMembers.channelIdProperty),
      namesRpc: this.text(HearthMembers.namesRpcProperty),
      presenceRpc: this.text(HearthMembers.presenceRpcProperty),
      topic: this.text(HearthMembers.topicProperty),
      presenceTopic: this.text(HearthMembers.presenceTopicProperty),
      removeRpc: this.text(HearthMembers.removeRpcProperty),
    };
    const services = hostServices();
    if (!services) return document.createElement('details');
    return keep(`members\n${o.source}\n${o.channelId}`, () => new MembersPanel(services, o)).element;
  }
}

interface MembersOptions {
  source: string; channelId: string; namesRpc: string; presenceRpc: string; topic: string; presenceTopic: string; removeRpc: string;
}

class MembersPanel {
  readonly element = document.createElement('details');
  private readonly summary = document.createElement('summary');
  private readonly list = document.createElement('ul');
  private readonly error = document.createElement('p');
  private members: Array<{ userId: string; admin?: boolean }> = [];
  /** Whether the caller may remove members, as the members RPC answered. */
  private mayRemove = false;
  private names = new Map<string, string>();
  private readonly status = new Map<string, Status>();
  /** The member whose removal waits for a yes. */
  private confirming = '';

  constructor(private readonly services: HostServices, private readonly o: MembersOptions) {
    this.element.className = 'hearth-members';
    this.list.className = 'hearth-members-list';
    this.error.className = 'hearth-field-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.element.append(this.summary, this.list, this.error);
    this.draw();
    if (o.namesRpc) {
      services.rpc<{ members?: Array<{ userId: string; displayName?: string }> }>(o.namesRpc, {})
        .then((a) => { this.names = new Map((a.members ?? []).filter((m) => m.displayName).map((m) => [m.userId, m.displayName!])); this.draw(); })
        .catch((e) => console.warn('members: names not loaded', e));
    }
    void this.load();
    onLive((topic, event, data) => {
      if (topic === o.presenceTopic && event === 'presence') {
        const user = String(data.userId ?? '');
        if (this.members.some((m) => m.userId === user)) {
          this.status.set(user, String(data.status) as Status);
          this.draw();
        }
        return true;
      }
      if (topic === o.topic && (event === 'member.joined' || event === 'member.left')) {
        void this.load();
        return false; // the page may show the channel's counts too
      }
      return false;
    });
  }

  private async load(): Promise<void> {
    try {
      const a = await this.services.rpc<{ members?: Array<{ userId: string; admin?: boolean }>; mayRemoveMembers?: boolean }>(
        this.o.source, { channelId: this.o.channelId });
      this.members = a.members ?? [];
      // The node says whom it lets remove (channel admins, the creator, project admins); a source
      // that does not say: the caller's own admin flag in the list.
      this.mayRemove = a.mayRemoveMembers ?? this.members.some((x) => x.userId === this.services.user && x.admin);
      if (this.o.presenceRpc && this.members.length) {
        const p = await this.services.rpc<{ users?: Array<{ userId: string; status: Status }> }>(this.o.presenceRpc,
          { userIds: this.members.slice(0, 100).map((m) => m.userId) });
        for (const u of p.users ?? []) this.status.set(u.userId, u.status);
      }
      this.error.hidden = true;
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = this.services.describe(e);
    }
    this.draw();
  }

  /** Remove, then (a destructive action) a yes or no beside the name; the node's refusal under the list. */
  private removal(userId: string, name: string): HTMLElement {
    const t = this.services.t;
    const button = (text: string, label: string, onClick: () => void): HTMLButtonElement => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'hearth-member-remove';
      b.textContent = text;
      b.setAttribute('aria-label', label);
      b.addEventListener('click', onClick);
      return b;
    };
    const box = document.createElement('span');
    box.className = 'hearth-member-actions';
    if (this.confirming !== userId) {
      box.append(button(t('shell.chat.members.remove'), t('shell.chat.members.removeLabel').replace('{0}', name), () => {
        this.confirming = userId;
        this.draw();
        this.list.querySelector<HTMLButtonElement>(`li[data-user="${CSS.escape(userId)}"] .hearth-member-remove`)?.focus();
      }));
      return box;
    }
    const question = document.createElement('span');
    question.className = 'hearth-member-confirm';
    question.textContent = t('shell.chat.members.removeConfirm').replace('{0}', name);
    box.append(question,
      button(t('shell.chat.members.removeYes'), t('shell.chat.members.removeYesLabel').replace('{0}', name), () => void this.remove(userId)),
      button(t('shell.chat.members.cancel'), t('shell.chat.members.cancel'), () => { this.confirming = ''; this.draw(); }));
    return box;
  }

  private async remove(userId: string): Promise<void> {
    this.confirming = '';
    try {
      await this.services.rpc(this.o.removeRpc, { channelId: this.o.channelId, userId });
      this.error.hidden = true;
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = this.services.describe(e);
    }
    await this.load();
  }

  private draw(): void {
    const t = this.services.t;
    const of = (u: string): Status => this.status.get(u) ?? 'OFFLINE';
    const name = (u: string): string => this.names.get(u) ?? `@${u.slice(-6)}`;
    const sorted = [...this.members].sort((a, b) => ORDER.indexOf(of(a.userId)) - ORDER.indexOf(of(b.userId))
      || name(a.userId).localeCompare(name(b.userId)));
    const online = this.members.filter((m) => of(m.userId) !== 'OFFLINE').length;
    this.summary.textContent = t('shell.chat.members.summary').replace('{0}', String(this.members.length)).replace('{1}', String(online));
    this.list.replaceChildren(...sorted.map((m) => {
      const s = of(m.userId);
      const li = document.createElement('li');
      li.className = 'hearth-member';
      li.dataset.user = m.userId;
      li.dataset.status = s;
      const avatar = document.createElement('span');
      avatar.className = 'hearth-member-avatar';
      avatar.setAttribute('aria-hidden', 'true');
      avatar.textContent = initials(name(m.userId));
      const dot = document.createElement('span');
      dot.className = 'hearth-presence-dot';
      dot.dataset.status = s;
      avatar.append(dot);
      const who = document.createElement('span');
      who.className = 'hearth-member-name';
      who.textContent = name(m.userId) + (m.userId === this.services.user ? ` ${t('shell.chat.members.you')}` : '');
      const state = document.createElement('span');
      state.className = 'hearth-member-status';
      state.textContent = t(`shell.presence.${s.toLowerCase()}`);
      li.append(avatar, who, state);
      if (this.o.removeRpc && this.mayRemove && m.userId !== this.services.user) li.append(this.removal(m.userId, name(m.userId)));
      return li;
    }));
  }
}
