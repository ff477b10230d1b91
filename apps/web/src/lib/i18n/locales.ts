import { en } from './messages/en';

/** Every key of the dashboard's text. Other dictionaries must have exactly these keys. */
export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

/**
 * The dictionaries the dashboard ships. Adding a language is adding one file under `messages/`
 * (`export const zhCN: Messages = {…}`) and one line here (`'zh-CN': zhCN`).
 */
export const DICTIONARIES = { en } satisfies Record<string, Messages>;
export type Locale = keyof typeof DICTIONARIES;
export const DEFAULT_LOCALE: Locale = 'en';
export const LOCALE_STORAGE_KEY = 'wharf.locale';

function isLocale(value: string): value is Locale {
  return Object.hasOwn(DICTIONARIES, value);
}

/** The first supported locale among the user's preferences (`zh-Hans-CN` → `zh-CN`, `en-GB` → `en`). */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    if (isLocale(tag)) return tag;
    const language = tag.split('-')[0] ?? '';
    const sameLanguage = Object.keys(DICTIONARIES).find((l) => l.split('-')[0] === language);
    if (sameLanguage && isLocale(sameLanguage)) return sameLanguage;
  }
  return DEFAULT_LOCALE;
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
