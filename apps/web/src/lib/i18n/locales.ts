import { en } from './messages/en';

/** Every key of the dashboard's text. Other dictionaries must have exactly these keys. */
export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

/**
 * The languages the dashboard ships, each named in itself (as the language switcher shows it). Adding a language is
 * adding one file under `messages/` (`export const zhCN: Messages = {…}`) and one line here, in `LOADERS` below and in
 * `dictionaries.ts`.
 */
export const LOCALE_NAMES = { en: 'English', 'zh-CN': '简体中文' } as const;
export type Locale = keyof typeof LOCALE_NAMES;
export const DEFAULT_LOCALE: Locale = 'en';
export const DEFAULT_MESSAGES: Messages = en;
export const LOCALES = Object.keys(LOCALE_NAMES) as Locale[];

/**
 * English comes with every page; another language's dictionary (~20 KB gzipped) is fetched when it is chosen, so
 * pages do not carry every language's text.
 */
const LOADERS: Readonly<Record<Locale, () => Promise<Messages>>> = {
  en: async () => en,
  'zh-CN': async () => (await import('./messages/zh-CN')).zhCN,
};

export function loadMessages(locale: Locale): Promise<Messages> {
  return LOADERS[locale]();
}
export const LOCALE_SWITCHER_NAME = 'Language / 语言';
export const LOCALE_STORAGE_KEY = 'wharf.locale';

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(LOCALE_NAMES, value);
}

/** The first supported locale among the user's preferences (`zh-Hans-CN` → `zh-CN`, `en-GB` → `en`). */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    if (isLocale(tag)) return tag;
    const language = tag.split('-')[0] ?? '';
    const sameLanguage = LOCALES.find((l) => l.split('-')[0] === language);
    if (sameLanguage && isLocale(sameLanguage)) return sameLanguage;
  }
  return DEFAULT_LOCALE;
}

/** `45` → `45s`, `185` → `3m 05s`, `3720` → `1h 02m` (in English; each dictionary words it). */
export function formatDuration(messages: Messages, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return translate(messages, 'duration.seconds', { s });
  if (s < 3600) return translate(messages, 'duration.minutes', { m: Math.floor(s / 60), s: pad(s % 60) });
  return translate(messages, 'duration.hours', { h: Math.floor(s / 3600), m: pad(Math.floor((s % 3600) / 60)) });
}

export type MessageValues = Readonly<Record<string, string | number>>;

/** `'Hello {name}'` + `{ name: 'Ada' }` → `'Hello Ada'`; an unknown placeholder is left as written. */
export function translate(messages: Messages, key: MessageKey, values?: MessageValues): string {
  const template = messages[key];
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = values[name];
    return value === undefined ? match : String(value);
  });
}
