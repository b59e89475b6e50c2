// The user's display settings, kept in localStorage: theme (system, light or dark) and language
// (the browser's, or a chosen one). Signed in, the user's settings on the node
// (GET/PATCH /v1/me/settings) win over this device's, so a choice follows the user everywhere. The shell's own texts come from the string tables in
// ui-schemas (dev/hearth/ui/strings), bundled at build time: one source of truth.
import en from '../../src/main/resources/dev/hearth/ui/strings/shell.json';
import ru from '../../src/main/resources/dev/hearth/ui/strings/shell_ru.json';

export type ThemeSetting = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const TABLES: Record<string, Record<string, string>> = { en, ru };
/** The languages the shell offers; modules may ship more, and fall back to English. */
export const LANGUAGES = ['en', 'ru'];

const dark = window.matchMedia('(prefers-color-scheme: dark)');

export function themeSetting(): ThemeSetting {
  const v = localStorage.getItem('hearth.theme');
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function setThemeSetting(v: ThemeSetting): void {
  if (v === 'system') localStorage.removeItem('hearth.theme');
  else localStorage.setItem('hearth.theme', v);
  applyTheme();
}

export function theme(): Theme {
  const s = themeSetting();
  return s === 'system' ? (dark.matches ? 'dark' : 'light') : s;
}

/** Sets the chrome's colours for the current theme; `onChange` also runs when the system flips. */
export function watchTheme(onChange: () => void): void {
  applyTheme();
  dark.addEventListener('change', () => {
    applyTheme();
    onChange();
  });
}

function applyTheme(): void {
  document.documentElement.dataset.theme = theme();
}

/** '' follows the browser. */
export function localeSetting(): string {
  return localStorage.getItem('hearth.locale') ?? '';
}

export function setLocaleSetting(v: string): void {
  if (v) localStorage.setItem('hearth.locale', v);
  else localStorage.removeItem('hearth.locale');
}

/** The language tag pages and strings are asked for. */
export function locale(): string {
  return localeSetting() || navigator.language || 'en';
}

/** A text of the shell's chrome in the current language, English when it has none. */
export function t(key: string): string {
  const lang = locale().toLowerCase().split('-')[0];
  return TABLES[lang]?.[key] ?? en[key as keyof typeof en] ?? key;
}

/** The user's settings as the node keeps them (hearth.settings.v1.UserSettings). */
export interface NodeSettings {
  language?: string;
  theme?: string;
}

/**
 * Takes the user's settings from the node: a language or a light/dark theme set there wins over
 * this device's choice; "system" and "" leave the device's choice alone.
 */
export function adopt(s: NodeSettings): void {
  if (s.language && LANGUAGES.includes(s.language) && s.language !== localeSetting()) setLocaleSetting(s.language);
  if ((s.theme === 'light' || s.theme === 'dark') && s.theme !== themeSetting()) setThemeSetting(s.theme);
}
