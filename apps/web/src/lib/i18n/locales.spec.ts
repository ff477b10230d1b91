import { QUOTA_DESCRIPTIONS } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES, matchLocale, translate } from './locales';
import { en } from './messages/en';

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

describe('matchLocale', () => {
  it('picks the first supported language, falling back to English', () => {
    expect(matchLocale(['en-GB', 'fr'])).toBe('en');
    expect(matchLocale(['fr-FR'])).toBe('en');
    expect(matchLocale([])).toBe('en');
  });
});

describe('dictionaries', () => {
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
});
