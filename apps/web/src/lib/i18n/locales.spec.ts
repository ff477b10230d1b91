import { QUOTA_DESCRIPTIONS } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES } from './dictionaries';
import { formatDuration, LOCALES, loadMessages, matchLocale, translate } from './locales';
import { en } from './messages/en';
import { zhCN } from './messages/zh-CN';

describe('translate', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(translate(en, 'members.remove.confirm', { name: 'Bob' })).toBe('Remove Bob');
    expect(translate(en, 'members.remove.confirm')).toBe('Remove {name}');
  });

  it('names quotas as the contract does', () => {
    expect(translate(en, 'quota.members')).toBe(QUOTA_DESCRIPTIONS.members.label);
    expect(translate(en, 'quotaUnit.memoryMiB')).toBe('MiB');
  });
});

describe('formatDuration', () => {
  it('reads as seconds, minutes or hours, in each language', () => {
    expect([0, 45, 185, 3720].map((s) => formatDuration(en, s))).toEqual(['0s', '45s', '3m 05s', '1h 02m']);
    expect([45, 185, 3720].map((s) => formatDuration(zhCN, s))).toEqual(['45 秒', '3 分 05 秒', '1 小时 02 分']);
  });
});

describe('matchLocale', () => {
  it('picks the first supported language, falling back to English', () => {
    expect(matchLocale(['en-GB', 'fr'])).toBe('en');
    expect(matchLocale(['fr-FR'])).toBe('en');
    expect(matchLocale([])).toBe('en');
  });

  it('takes any Chinese tag for Simplified Chinese', () => {
    expect(matchLocale(['zh-Hans-CN'])).toBe('zh-CN');
    expect(matchLocale(['zh'])).toBe('zh-CN');
    expect(matchLocale(['zh-CN', 'en'])).toBe('zh-CN');
    expect(matchLocale(['fr', 'zh-TW', 'en'])).toBe('zh-CN');
    expect(matchLocale(['en-US', 'zh-CN'])).toBe('en');
  });
});

describe('dictionaries', () => {
  it('are each loaded for their language, one at a time', async () => {
    for (const locale of LOCALES) expect(await loadMessages(locale), locale).toBe(DICTIONARIES[locale]);
  });

  it('all have exactly the keys of the English one, none empty', () => {
    const keys = Object.keys(en).sort();
    for (const [locale, messages] of Object.entries(DICTIONARIES)) {
      expect(Object.keys(messages).sort(), locale).toEqual(keys);
      expect(
        Object.values(messages).filter((v) => v.trim() === ''),
        locale,
      ).toEqual([]);
    }
  });

  it('all keep the placeholders of the English one', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [locale, messages] of Object.entries(DICTIONARIES)) {
      const differing = Object.entries(en)
        .filter(([key, text]) => {
          const translated = (messages as Record<string, string>)[key] ?? '';
          return placeholders(translated).join() !== placeholders(text).join();
        })
        .map(([key]) => key);
      expect(differing, locale).toEqual([]);
    }
  });

  it('fills the Chinese placeholders alike', () => {
    expect(translate(zhCN, 'members.remove.confirm', { name: 'Bob' })).toBe('移除 Bob');
  });
});
