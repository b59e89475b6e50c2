// A message's own Adaptive Card (Message.cardJson: an incoming webhook's Slack attachments, a bot's
// card; docs/bots.md), rendered under its text with the theme's host config of the page around it.
// The node checked its shape; the renderer makes no script or raw HTML of it, and a card it cannot
// parse shows nothing rather than breaking the timeline.
import { AdaptiveCard, type HostConfig } from 'adaptivecards';

let config: HostConfig | undefined;
/** Each card on screen and its JSON: a timeline kept across a theme change keeps its messages' elements. */
const shown = new WeakMap<HTMLElement, string>();

/**
 * The host config of the page the timeline is on (its theme), for the cards it renders next; when
 * it is another (the theme changed), the cards already on screen are rendered again with it, or a
 * light card would stay in a dark page (its links unreadable on its backgrounds).
 */
export function useMessageCardHost(hostConfig: HostConfig | undefined): void {
  if (!hostConfig || hostConfig === config) return;
  config = hostConfig;
  for (const box of document.querySelectorAll<HTMLElement>('.hearth-msg-card')) {
    const json = shown.get(box);
    const element = json === undefined ? undefined : renderCard(json);
    if (element) box.replaceChildren(element);
  }
}

export function messageCard(json: string): HTMLElement | undefined {
  const element = renderCard(json);
  if (!element) return undefined;
  const box = document.createElement('div');
  box.className = 'hearth-msg-card';
  box.append(element);
  shown.set(box, json);
  return box;
}

function renderCard(json: string): HTMLElement | undefined {
  try {
    const card = new AdaptiveCard();
    if (config) card.hostConfig = config;
    card.parse(JSON.parse(json));
    return card.render();
  } catch (e) {
    console.warn('a message card could not be rendered', e);
    return undefined;
  }
}
