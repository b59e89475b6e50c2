// Hearth's host elements: card elements the shell adds to the Adaptive Cards language. Each is a
// CardElement subclass registered with the renderer here; scripts/card-schema.mjs reads this same
// registry (its property definitions and `requiredProperties`) into the schema the node validates
// pages with, so a host element is checked exactly like a built-in one. See docs/cards.md.
import { CardElement, GlobalRegistry, Versions } from 'adaptivecards';
import { HearthComposer } from './composer';
import { HearthMembers } from './members-panel';
import { HearthTime } from './time';
import { HearthTimeline } from './timeline';
import { HearthTyping } from './typing';
import { HearthVideoTiles } from './video-tiles';

/** Every host element, by type name. Names start with "Hearth." so they never meet a future built-in. */
export const hostElements: Record<string, new () => CardElement> = {
  [HearthTime.JsonTypeName]: HearthTime,
  [HearthTimeline.JsonTypeName]: HearthTimeline,
  [HearthComposer.JsonTypeName]: HearthComposer,
  [HearthTyping.JsonTypeName]: HearthTyping,
  [HearthMembers.JsonTypeName]: HearthMembers,
  [HearthVideoTiles.JsonTypeName]: HearthVideoTiles,
};

export function registerHostElements(): void {
  for (const [name, type] of Object.entries(hostElements)) GlobalRegistry.elements.register(name, type, Versions.v1_0);
}
