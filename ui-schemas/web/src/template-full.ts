// adaptivecards-templating (with adaptive-expressions, most of the card renderer's weight) in a
// chunk of its own: loaded only for a template the light expander (template-lite.ts) cannot take.
import { Template } from 'adaptivecards-templating';

export function expandFull(template: object, data: object): unknown {
  return new Template(template).expand({ $root: data });
}
