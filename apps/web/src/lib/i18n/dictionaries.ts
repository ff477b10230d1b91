import type { Locale, Messages } from './locales';
import { en } from './messages/en';
import { zhCN } from './messages/zh-CN';

/** Every dictionary at once, for the tests that compare them (the dashboard fetches one at a time: `loadMessages`). */
export const DICTIONARIES = { en, 'zh-CN': zhCN } satisfies Record<Locale, Messages>;
