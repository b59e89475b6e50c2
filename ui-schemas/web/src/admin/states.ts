// The states the console shows, as the node sends them (an enum's name: ACTIVE, PAUSED, OFFERED…),
// and the string key each is shown with, so that no state reaches people untranslated. Every value
// of these enums has its string in en and ru: test/admin.test.mjs reads the values from the protos.
// An empty state is the enum's zero value (proto JSON leaves it out).

/** Each kind of state: the prefix of its string keys, and its enum's zero value. */
export const STATES = {
  /** hearth.federation.v1.LinkState */
  link: { prefix: 'admin.fed.state', zero: 'LINK_STATE_UNSPECIFIED' },
  /** hearth.federation.v1.ShareState */
  share: { prefix: 'admin.fed.shareState', zero: 'SHARE_STATE_UNSPECIFIED' },
  /** hearth.webhooks.v1.WebhookState */
  webhook: { prefix: 'admin.hooks.state', zero: 'WEBHOOK_STATE_UNSPECIFIED' },
  /** hearth.webhooks.v1.DeliveryStatus */
  delivery: { prefix: 'admin.hooks.delivery', zero: 'DELIVERY_STATUS_UNSPECIFIED' },
  /** A plugin module's or a user module's state (ModuleInfo.state, UserModule.state): STARTED, STOPPED, FAILED. */
  module: { prefix: 'admin.modules.state', zero: 'STOPPED' },
} as const;

export type StateKind = keyof typeof STATES;

/** The string key a state of `kind` is shown with. */
export function stateKey(kind: StateKind, state: string | undefined): string {
  return `${STATES[kind].prefix}.${state || STATES[kind].zero}`;
}
