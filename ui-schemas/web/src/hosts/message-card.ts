// A message's own Adaptive Card (Message.cardJson: an incoming webhook's Slack attachments, a bot's
// card; docs/bots.md), rendered under its text with the theme's host config of the page around it.
// The node checked its shape; the renderer makes no script or raw HTML of it, and a card it cannot
// parse shows nothing rather than breaking the timeline.
import { AdaptiveCard, type HostConfig } from 'adaptivecards';

let config: HostConfig | undefined;

/** The host config of the page the timeline is on (its theme), for the cards it renders next. */
export function useMessageCardHost(hostConfig: HostConfig | undefined): void {
  if (hostConfig) config = hostConfig;
}

export function messageCard(json: string): HTMLElement | undefined {
  try {
    const card = new AdaptiveCard();
    if (config) card.hostConfig = config;
    card.parse(JSON.parse(json));
    const element = card.render();
    if (!element) return undefined;
    const box = document.createElement('div');
    box.className = 'hearth-msg-card';
    box.append(element);
    return box;
  } catch (e) {
    console.warn('a message card could not be rendered', e);
    return undefined;
  }
}
