// What a module page's card is expanded from, in each state the shell shows it in (page.ts): once its
// data loaded, its template against `{<sources>…, strings, params, project, user}`; before that — its
// first load refused, as for an outsider opening a video room — an empty card, which render() tops
// with the error: the template, written for its sources, would fail without them with either engine
// (and the light expander would load the full one to fail). The card checks (test/cards.test.mjs)
// expand every card the repository ships in each of these states.

/** The card of a page whose data never loaded. */
export const NO_DATA = { type: 'AdaptiveCard', version: '1.6', body: [] };

/** The template and data a page shows: `data` undefined while it never loaded. */
export function pageCard(template: object, data: Record<string, unknown> | undefined): { template: object; data: Record<string, unknown> } {
  return data ? { template, data } : { template: NO_DATA, data: {} };
}
