// The card language the shell renders: the adaptivecards package plus Hearth's host elements. The
// shell imports it for rendering; scripts/card-schema.mjs bundles it for Node and derives the
// validator's JSON schema from the very same registry and property definitions.
import * as AC from 'adaptivecards';
import { hostElements, registerHostElements } from './hosts';

// adaptivecards 3.0.6 checks `lang` with a global (/g) RegExp, whose exec() resumes where the last
// match ended: every second `lang` the shell ever parsed was refused. The same pattern, stateless.
(AC.CardElement.langProperty as { regEx?: RegExp }).regEx = /^[a-z]{2,3}$/i;

// An element with a selectAction (a Container, ColumnSet, Column, Image or TextRun that
// acts when clicked) gets role button or link and, from the renderer, aria-label = the action's
// title: a screen reader then hears "Reserve" for an item that shows "Widget · 3 in stock", and
// speech users cannot name it by what they see (WCAG 2.5.3; axe's label-content-name-mismatch).
// Such an element is named by its content instead (an Image by its alt text); the title stays as
// the `title` attribute, which is its accessible description, or its name when the content has none.
// Action buttons (<button>, whose text or icon is the title) keep their label.
const setupForAccessibility = AC.Action.prototype.setupElementForAccessibility;
AC.Action.prototype.setupElementForAccessibility = function (this: AC.Action, element: HTMLElement, promoteTooltipToLabel = false) {
  setupForAccessibility.call(this, element, promoteTooltipToLabel);
  if (element.tagName !== 'BUTTON') element.removeAttribute('aria-label');
};

registerHostElements();

export { AC, hostElements };
