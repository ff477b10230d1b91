import type { FieldError } from '@wharf/contracts';
import { DEFAULT_LOCALE, type Locale, type MessageKey, type Messages, translate } from './locales';
import { en } from './messages/en';

/** A text shown as the page's language has it, or as the API wrote it (`lang` then says which language that is). */
export interface LocalText {
  text: string;
  lang?: string;
}

type ApiTextKey = Extract<MessageKey, `apiText.${string}`>;

/** The API's own words → their key (`messages/en-api.ts` holds them as the API writes them). */
const KEYS = new Map(
  Object.entries(en).flatMap(([key, text]) => (key.startsWith('apiText.') ? [[text, key as ApiTextKey] as const] : [])),
);

const ORIGINS = new Set(['string', 'number', 'array']);

/** A generic check of the API worded from its code and figures (`too_small` of a string, with its minimum). */
function byCode(messages: Messages, error: Pick<FieldError, 'code' | 'params'>): string | undefined {
  const origin = String(error.params?.origin ?? '');
  if (error.code === 'invalid_type') return translate(messages, 'apiCode.invalidType');
  if (!ORIGINS.has(origin)) return undefined;
  if (error.code === 'too_small' && error.params?.minimum !== undefined) {
    return translate(messages, `apiCode.tooSmall.${origin}` as MessageKey, { minimum: error.params.minimum });
  }
  if (error.code === 'too_big' && error.params?.maximum !== undefined) {
    return translate(messages, `apiCode.tooBig.${origin}` as MessageKey, { maximum: error.params.maximum });
  }
  return undefined;
}

/**
 * A text the API wrote (a problem's detail, a field's message), in the page's language when the dashboard knows it —
 * by its words, or for a field error by its code and figures — and else as written, marked as English.
 */
export function apiText(
  messages: Messages,
  locale: Locale,
  text: string,
  error?: Pick<FieldError, 'code' | 'params'>,
): LocalText {
  if (locale === DEFAULT_LOCALE) return { text };
  const key = KEYS.get(text);
  if (key) return { text: translate(messages, key) };
  const worded = error && byCode(messages, error);
  return worded ? { text: worded } : { text, lang: DEFAULT_LOCALE };
}
