// Hearth.Composer: where a message is written. Enter sends, Shift+Enter makes a new line; the text
// goes to the RPC the card names (with channelId and threadRootId), the box is cleared when the node
// accepts it, and on a refusal the text stays and the node's error is shown next to it. The posted
// message is handed to the page's timelines at once, before its realtime event arrives.
import { BoolProperty, CardElement, NumProperty, StringProperty, Versions } from 'adaptivecards';
import { AttachmentTray } from './attachments';
import { typingNotifier } from './typing';
import { hostServices, keep, offerLive } from './services';
import type { HostServices } from './services';
import { attachMentions } from './mentions';
import { messageHtml } from './message-text';
import { messageCard } from './message-card';

export class HearthComposer extends CardElement {
  static readonly JsonTypeName = 'Hearth.Composer';
  static readonly requiredProperties = ['rpc'];

  /** Called with {channelId, threadRootId, text}; answers the posted message. */
  static readonly rpcProperty = new StringProperty(Versions.v1_0, 'rpc', true);
  static readonly channelIdProperty = new StringProperty(Versions.v1_0, 'channelId', true);
  static readonly threadRootIdProperty = new StringProperty(Versions.v1_0, 'threadRootId', true);
  static readonly labelProperty = new StringProperty(Versions.v1_0, 'label', true);
  static readonly placeholderProperty = new StringProperty(Versions.v1_0, 'placeholder', true);
  static readonly maxLengthProperty = new NumProperty(Versions.v1_0, 'maxLength');
  /** Files may go with a message (button, drop, paste): uploaded to the project's files, their ids sent as attachmentFileIds. */
  static readonly attachmentsProperty = new BoolProperty(Versions.v1_0, 'attachments', false);
  /** Called with {channelId} while the reader types (at most once per 3 s): "… is typing" for the others. */
  static readonly typingRpcProperty = new StringProperty(Versions.v1_0, 'typingRpc', true);
  /** Answers {members: [{userId, displayName}]}: `@` autocomplete offers them (mentions.ts). */
  static readonly mentionsRpcProperty = new StringProperty(Versions.v1_0, 'mentionsRpc', true);
  /** Answers {members: [{userId}]} for {channelId}: only they are offered for `@`. */
  static readonly membersRpcProperty = new StringProperty(Versions.v1_0, 'membersRpc', true);
  /**
   * Called with {channelId, text} instead of `rpc` when the text starts with `/` (a slash command);
   * answers {responseType, text, cardJson}: an "ephemeral" answer is shown under the box to the writer alone.
   */
  static readonly commandRpcProperty = new StringProperty(Versions.v1_0, 'commandRpc', true);

  getJsonTypeName(): string {
    return HearthComposer.JsonTypeName;
  }

  private text(p: StringProperty): string {
    return this.getValue(p) ?? '';
  }

  protected internalRender(): HTMLElement | undefined {
    const options = {
      rpc: this.text(HearthComposer.rpcProperty),
      channelId: this.text(HearthComposer.channelIdProperty),
      threadRootId: this.text(HearthComposer.threadRootIdProperty),
      label: this.text(HearthComposer.labelProperty),
      placeholder: this.text(HearthComposer.placeholderProperty),
      maxLength: this.getValue(HearthComposer.maxLengthProperty) as number | undefined,
      attachments: Boolean(this.getValue(HearthComposer.attachmentsProperty)),
      typingRpc: this.text(HearthComposer.typingRpcProperty),
      mentionsRpc: this.text(HearthComposer.mentionsRpcProperty),
      membersRpc: this.text(HearthComposer.membersRpcProperty),
      commandRpc: this.text(HearthComposer.commandRpcProperty),
    };
    const services = hostServices();
    if (!services) return document.createElement('form');
    // The same element across re-renders of the card: a draft survives any event.
    return keep(`composer\n${options.rpc}\n${options.channelId}\n${options.threadRootId}`,
      () => composer(services, options));
  }
}

let ids = 0;

export interface ComposerOptions {
  rpc: string; channelId: string; threadRootId: string; label: string; placeholder: string; maxLength?: number;
  attachments?: boolean; typingRpc?: string; mentionsRpc?: string; membersRpc?: string; commandRpc?: string;
}

export function composer(services: HostServices, o: ComposerOptions): HTMLElement {
  const t = services.t;
  const id = `hearth-composer-${++ids}`;
  const form = document.createElement('form');
  form.className = 'hearth-composer';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = o.label || t('shell.chat.message');
  const area = document.createElement('textarea');
  area.id = id;
  area.rows = 2;
  area.placeholder = o.placeholder;
  if (o.maxLength) area.maxLength = o.maxLength;
  const hint = document.createElement('p');
  hint.className = 'hearth-composer-hint';
  hint.id = `${id}-hint`;
  hint.textContent = t('shell.chat.enterHint');
  const error = document.createElement('p');
  error.className = 'hearth-field-error';
  error.id = `${id}-error`;
  error.setAttribute('role', 'alert');
  error.hidden = true;
  area.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
  const send = document.createElement('button');
  send.type = 'submit';
  send.textContent = t('shell.chat.send');
  const row = document.createElement('div');
  row.className = 'hearth-composer-row';
  row.append(area, send);
  form.append(label, row, hint, error);
  const tray = o.attachments ? new AttachmentTray(services, form, area, id, () => { send.disabled = Boolean(tray?.busy()); }) : undefined;
  if (tray) {
    row.insertBefore(tray.button, send);
    form.insertBefore(tray.list, hint);
  }
  const typing = o.typingRpc ? typingNotifier(services, o.typingRpc, o.channelId) : undefined;
  if (typing) area.addEventListener('input', () => { if (area.value.trim()) typing(); });
  const mentions = o.mentionsRpc
    ? attachMentions(services, area, { mentionsRpc: o.mentionsRpc, membersRpc: o.membersRpc ?? '', channelId: o.channelId })
    : undefined;
  if (mentions) row.after(mentions.element);

  // A slash command's answer for the writer alone: under the box until dismissed or the next send.
  const answer = document.createElement('div');
  answer.className = 'hearth-command-answer';
  answer.setAttribute('role', 'status');
  answer.hidden = true;
  form.insertBefore(answer, hint);
  const showAnswer = (reply: { text?: string; cardJson?: string }): void => {
    answer.replaceChildren();
    if (!reply.text && !reply.cardJson) {
      answer.hidden = true;
      return;
    }
    const head = document.createElement('p');
    head.className = 'hearth-command-answer-head';
    head.textContent = t('shell.chat.commandOnlyYou');
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.textContent = t('shell.chat.commandDismiss');
    dismiss.addEventListener('click', () => { answer.hidden = true; area.focus(); });
    head.append(' ', dismiss);
    answer.append(head);
    if (reply.text) {
      const body = document.createElement('div');
      body.className = 'hearth-msg-text';
      body.innerHTML = messageHtml(reply.text);
      answer.append(body);
    }
    const card = reply.cardJson ? messageCard(reply.cardJson) : undefined;
    if (card) answer.append(card);
    answer.hidden = false;
  };

  let busy = false;
  const post = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    const text = area.value;
    const attachmentFileIds = tray?.ids() ?? [];
    const command = Boolean(o.commandRpc) && !o.threadRootId && !attachmentFileIds.length && /^\/[^\s/]/.test(text.trimStart());
    try {
      if (command) {
        const reply = await services.rpc<{ responseType?: string; text?: string; cardJson?: string }>(o.commandRpc!, {
          channelId: o.channelId || undefined, text: text.trim(),
        });
        error.hidden = true;
        error.textContent = '';
        area.removeAttribute('aria-invalid');
        area.value = area.value.startsWith(text) ? area.value.slice(text.length) : area.value;
        showAnswer(reply?.responseType === 'ephemeral' ? reply : {});
        return;
      }
      answer.hidden = true;
      const message = await services.rpc<Record<string, unknown>>(o.rpc, {
        channelId: o.channelId || undefined, threadRootId: o.threadRootId || undefined, text,
        ...(attachmentFileIds.length ? { attachmentFileIds } : {}),
        mentionUserIds: mentions?.ids(text),
      });
      tray?.clear();
      mentions?.reset();
      error.hidden = true;
      error.textContent = '';
      area.removeAttribute('aria-invalid');
      // Only what was sent is cleared: text typed while the call was out stays.
      area.value = area.value.startsWith(text) ? area.value.slice(text.length) : area.value;
      if (message && typeof message.id === 'string') offerLive('', 'message.created', message);
    } catch (e) {
      error.hidden = false;
      error.textContent = services.describe(e);
      area.setAttribute('aria-invalid', 'true');
    } finally {
      busy = false;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (tray?.busy()) return;
    void post();
  });
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if ((area.value.trim() || tray?.ids().length) && !tray?.busy()) void post();
    }
  });
  return form;
}
