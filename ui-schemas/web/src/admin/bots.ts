// A project's bots, incoming webhooks and slash commands (docs/bots.md), for its admins: each made
// with a form whose refusals sit by the field the node names, its one-time secret (a bot's token, a
// hook's URL, a command's signing secret) shown once with a copy button, and removed after a
// question asked in place. The node checks every call (project-admin of this project).
import { el } from '../dom';
import { uploadFile } from '../filecalls';
import { form } from '../forms';
import { t } from '../prefs';
import * as api from './botcalls';
import type { Bot, Command, IncomingHook } from './botcalls';
import { busy, confirmed, oneTime, outcome, section, when } from './ui';

/** The three sections of a project's page; the lists refresh one another (a deleted bot takes its hooks). */
export async function botsSections(project: string): Promise<HTMLElement> {
  const bots = el('ul', { class: 'admin-list', id: 'admin-bots', 'aria-label': t('admin.bots') });
  const hooks = el('ul', { class: 'admin-list', id: 'admin-incoming-hooks', 'aria-label': t('admin.inhooks') });
  const commands = el('ul', { class: 'admin-list', id: 'admin-commands', 'aria-label': t('admin.commands') });
  const botChoices: Array<HTMLSelectElement> = [];
  let known: Bot[] = [];
  const nameOf = (id: string) => known.find((b) => b.id === id)?.displayName ?? id;
  const paint = async () => {
    const [b, h, c, channels] = await Promise.all([api.listBots(project), api.listHooks(project), api.listCommands(project),
      api.listChannels(project).catch(() => [])]);
    known = b;
    const channelName = (id: string) => { const ch = channels.find((x) => x.id === id); return ch ? `#${ch.name}` : id; };
    bots.replaceChildren(...b.map((x) => botRow(project, x, () => void paint())));
    if (!b.length) bots.append(el('li', { class: 'note' }, t('admin.bots.none')));
    hooks.replaceChildren(...h.map((x) => hookRow(project, x, channelName(x.channelId), nameOf(x.botId), () => void paint())));
    if (!h.length) hooks.append(el('li', { class: 'note' }, t('admin.inhooks.none')));
    commands.replaceChildren(...c.map((x) => commandRow(project, x, nameOf(x.botId), () => void paint())));
    if (!c.length) commands.append(el('li', { class: 'note' }, t('admin.commands.none')));
    for (const s of botChoices) fill(s, b.map((x) => [x.id, x.displayName]), t('admin.bots.pick'));
    fill(channelPick, channels.map((x) => [x.id, `#${x.name}`]), t('admin.inhooks.pickChannel'));
  };
  let channelPick: HTMLSelectElement;

  // A bot: name, role, an avatar picture (a file of this project, uploaded first).
  const madeBot = el('div', { class: 'one-time', 'aria-live': 'polite' });
  const botForm: HTMLFormElement = form({
    id: 'admin-bot',
    fields: [
      { name: 'displayName', label: t('admin.bots.name'), aliases: ['display_name'] },
      { name: 'role', label: t('admin.bots.role'), value: 'project-user',
        choices: [['project-user', t('shell.role.project-user')], ['project-admin', t('shell.role.project-admin')]] },
      { name: 'avatar', label: t('admin.bots.avatar'), type: 'file', aliases: ['avatar_file_id', 'avatarFileId'],
        attrs: { accept: 'image/png,image/jpeg,image/gif,image/webp' } },
    ],
    submit: t('admin.bots.create'),
    onSubmit: async (v) => {
      const picture = (botForm.elements.namedItem('avatar') as HTMLInputElement).files?.[0];
      let avatarFileId = '';
      if (picture) {
        const ext = (/\.[a-z0-9]{1,5}$/i.exec(picture.name)?.[0] ?? '').toLowerCase();
        avatarFileId = (await uploadFile(project, '', picture, undefined, `bot-avatar-${Date.now()}${ext}`)).id;
      }
      const bot = await api.createBot(project, v.displayName.trim(), v.role, avatarFileId);
      botForm.reset();
      madeBot.replaceChildren(el('p', { class: 'field-ok', role: 'status' }, t('admin.bots.created').replace('{0}', bot.displayName)));
      await paint();
    },
  });

  // A hook: a channel, a bot, a note; the URL is the credential.
  const madeHook = el('div', { class: 'one-time', 'aria-live': 'polite' });
  const hookForm = form({
    id: 'admin-inhook',
    fields: [
      { name: 'channelId', label: t('admin.inhooks.channel'), aliases: ['channel_id'], choices: [] },
      { name: 'botId', label: t('admin.inhooks.bot'), aliases: ['bot_id'], choices: [] },
      { name: 'description', label: t('admin.inhooks.description') },
    ],
    submit: t('admin.inhooks.create'),
    onSubmit: async (v) => {
      const made = await api.createHook(project, v.channelId, v.botId, v.description.trim());
      (hookForm.elements.namedItem('description') as HTMLInputElement).value = '';
      madeHook.replaceChildren(oneTime('admin-inhook-url', t('admin.inhooks.url'), `${location.origin}${made.path}`, t('admin.inhooks.urlOnce')));
      await paint();
    },
  });
  channelPick = hookForm.elements.namedItem('channelId') as HTMLSelectElement;
  botChoices.push(hookForm.elements.namedItem('botId') as HTMLSelectElement);

  // A command: /name, the endpoint, the bot that answers, a description and a hint for the composer.
  const madeCommand = el('div', { class: 'one-time', 'aria-live': 'polite' });
  const commandForm = form({
    id: 'admin-command',
    fields: [
      { name: 'name', label: t('admin.commands.name'), attrs: { placeholder: 'lunch', autocapitalize: 'none', spellcheck: 'false' } },
      { name: 'url', label: t('admin.commands.url'), type: 'url', attrs: { placeholder: 'https://example.com/hearth/lunch' } },
      { name: 'botId', label: t('admin.commands.bot'), aliases: ['bot_id'], choices: [] },
      { name: 'description', label: t('admin.commands.description') },
      { name: 'usageHint', label: t('admin.commands.hint'), aliases: ['usage_hint'], attrs: { placeholder: '[place]' } },
    ],
    submit: t('admin.commands.create'),
    onSubmit: async (v) => {
      const made = await api.createCommand(project, v.name.trim(), v.url.trim(), v.botId, v.description.trim(), v.usageHint.trim());
      for (const name of ['name', 'url', 'description', 'usageHint']) (commandForm.elements.namedItem(name) as HTMLInputElement).value = '';
      madeCommand.replaceChildren(oneTime('admin-command-secret', t('admin.commands.secret').replace('{0}', made.command.name),
        made.secret, t('admin.commands.secretOnce')));
      await paint();
    },
  });
  botChoices.push(commandForm.elements.namedItem('botId') as HTMLSelectElement);
  await paint();

  return el('div', {},
    section('admin-bots-section', t('admin.bots'), el('p', { class: 'note' }, t('admin.bots.intro')), bots,
      el('h3', {}, t('admin.bots.new')), botForm, madeBot),
    section('admin-inhooks-section', t('admin.inhooks'), el('p', { class: 'note' }, t('admin.inhooks.intro')), hooks,
      el('h3', {}, t('admin.inhooks.new')), hookForm, madeHook),
    section('admin-commands-section', t('admin.commands'), el('p', { class: 'note' }, t('admin.commands.intro')), commands,
      el('h3', {}, t('admin.commands.new')), commandForm, madeCommand));
}

function fill(select: HTMLSelectElement, choices: Array<[string, string]>, empty: string): void {
  const was = select.value;
  select.replaceChildren(...(choices.length ? choices : [['', empty] as [string, string]])
    .map(([v, label]) => el('option', { value: v, selected: v === was }, label)));
}

function botRow(project: string, b: Bot, changed: () => void): HTMLElement {
  const line = outcome(`admin-bot-${b.id}-error`);
  const secret = el('div', { class: 'one-time', 'aria-live': 'polite' });
  const token = el('button', { type: 'button', class: 'small', 'data-action': 'token',
    'aria-label': t('admin.bots.tokenFor').replace('{0}', b.displayName),
    onclick: () => void busy(token, line, async () => {
      const made = await api.createToken(project, b.id, t('admin.bots.tokenName'));
      secret.replaceChildren(oneTime(`admin-bot-${b.id}-token`, t('admin.bots.token'), made.secret, t('admin.bots.tokenOnce')));
    }) }, t('admin.bots.newToken'));
  const remove = confirmed(t('admin.bots.delete'), t('admin.bots.deleteQuestion').replace('{0}', b.displayName), t('admin.bots.delete'),
    line, async () => { await api.deleteBot(project, b.id); changed(); },
    { 'data-action': 'delete', 'aria-label': t('admin.bots.deleteNamed').replace('{0}', b.displayName) });
  return el('li', { class: 'admin-row', 'data-bot': b.id },
    el('span', { class: 'who' }, el('strong', {}, b.displayName),
      el('span', { class: 'note' }, `${t(`shell.role.${b.role}`)} · ${t('admin.bots.since').replace('{0}', when(b.createdAt))}`)),
    token, remove, line, secret);
}

function hookRow(project: string, h: IncomingHook, channel: string, bot: string, changed: () => void): HTMLElement {
  const line = outcome(`admin-inhook-${h.id}-error`);
  const what = t('admin.inhooks.what').replace('{0}', channel).replace('{1}', bot);
  const remove = confirmed(t('admin.inhooks.revoke'), t('admin.inhooks.revokeQuestion').replace('{0}', what), t('admin.inhooks.revoke'),
    line, async () => { await api.revokeHook(project, h.id); changed(); },
    { 'data-action': 'revoke', 'aria-label': t('admin.inhooks.revokeNamed').replace('{0}', what) });
  return el('li', { class: 'admin-row', 'data-hook': h.id },
    el('span', { class: 'who' }, el('strong', {}, what), ...(h.description ? [el('span', { class: 'note' }, h.description)] : [])),
    remove, line);
}

function commandRow(project: string, c: Command, bot: string, changed: () => void): HTMLElement {
  const line = outcome(`admin-command-${c.id}-error`);
  const remove = confirmed(t('admin.commands.delete'), t('admin.commands.deleteQuestion').replace('{0}', `/${c.name}`), t('admin.commands.delete'),
    line, async () => { await api.deleteCommand(project, c.id); changed(); },
    { 'data-action': 'delete', 'aria-label': t('admin.commands.deleteNamed').replace('{0}', `/${c.name}`) });
  return el('li', { class: 'admin-row', 'data-command': c.name },
    el('span', { class: 'who' }, el('strong', {}, `/${c.name}${c.usageHint ? ` ${c.usageHint}` : ''}`),
      el('span', { class: 'note' }, [c.description, t('admin.commands.answeredBy').replace('{0}', bot)].filter(Boolean).join(' · '))),
    remove, line);
}
