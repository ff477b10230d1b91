'use client';

import { useId } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { isLocale, LOCALE_NAMES, LOCALE_SWITCHER_NAME, LOCALES } from '@/lib/i18n/locales';

/**
 * The language of the dashboard, each one named in itself. The choice is remembered in the browser
 * (see `I18nProvider`) and sets `<html lang>`.
 */
export function LocaleSwitcher() {
  const { locale, setLocale } = useI18n();
  const id = useId();
  return (
    // named in each language itself, whatever the page's: left out of the untranslated-text check
    <div className="locale-switcher" data-i18n-ignore="">
      <label htmlFor={id} className="visually-hidden">
        {LOCALE_SWITCHER_NAME}
      </label>
      <select
        id={id}
        className="select"
        data-testid="locale-switcher"
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) setLocale(event.target.value);
        }}
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
