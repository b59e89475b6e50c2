// Hearth.Time: a point in time shown in the reader's language and time zone, relative ("5 minutes
// ago") or as a date and/or time, with the exact instant as its tooltip. Cards get times from the
// API as ISO 8601 strings; a TextBlock could only show them as sent (UTC, machine format).
import { CardElement, StringProperty, ValueSetProperty, Versions } from 'adaptivecards';

const FORMATS = ['relative', 'date', 'time', 'dateTime'] as const;

export class HearthTime extends CardElement {
  static readonly JsonTypeName = 'Hearth.Time';
  /** Properties a card must set; read by scripts/card-schema.mjs into the validator's schema. */
  static readonly requiredProperties = ['value'];

  static readonly valueProperty = new StringProperty(Versions.v1_0, 'value', true);
  static readonly formatProperty = new ValueSetProperty(Versions.v1_0, 'format',
    FORMATS.map((value) => ({ value })), 'relative');

  get value(): string | undefined {
    return this.getValue(HearthTime.valueProperty);
  }

  get format(): string {
    return this.getValue(HearthTime.formatProperty);
  }

  getJsonTypeName(): string {
    return HearthTime.JsonTypeName;
  }

  protected internalRender(): HTMLElement | undefined {
    const element = document.createElement('time');
    element.className = 'hearth-time';
    const when = this.value ? new Date(this.value) : undefined;
    if (!when || Number.isNaN(when.getTime())) {
      element.textContent = this.value ?? '';
      return element;
    }
    element.dateTime = when.toISOString();
    element.title = when.toLocaleString(this.locale());
    element.textContent = describe(when, this.format, this.locale());
    return element;
  }

  private locale(): string | undefined {
    return this.lang ?? document.documentElement.lang ?? undefined;
  }
}

/** `when` as the format asks, in `locale`; "relative" picks the largest whole unit. */
export function describe(when: Date, format: string, locale?: string, now = Date.now()): string {
  switch (format.toLowerCase()) {
    case 'date': return when.toLocaleDateString(locale);
    case 'time': return when.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
    case 'datetime': return when.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
    default: {
      const seconds = Math.round((when.getTime() - now) / 1000);
      const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
        ['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
      const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      for (const [unit, size] of units) {
        if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
      }
      return rtf.format(0, 'second');
    }
  }
}
