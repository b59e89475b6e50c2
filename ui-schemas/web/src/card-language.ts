// The card language the shell renders: the adaptivecards package plus Hearth's host elements. The
// shell imports it for rendering; scripts/card-schema.mjs bundles it for Node and derives the
// validator's JSON schema from the very same registry and property definitions.
import * as AC from 'adaptivecards';
import { hostElements, registerHostElements } from './hosts';

// adaptivecards 3.0.6 checks `lang` with a global (/g) RegExp, whose exec() resumes where the last
// match ended: every second `lang` the shell ever parsed was refused. The same pattern, stateless.
(AC.CardElement.langProperty as { regEx?: RegExp }).regEx = /^[a-z]{2,3}$/i;

registerHostElements();

export { AC, hostElements };
