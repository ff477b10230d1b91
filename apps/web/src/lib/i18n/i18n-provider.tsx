'use client';

import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import {
  DEFAULT_LOCALE,
  DICTIONARIES,
  LOCALE_STORAGE_KEY,
  type Locale,
  type MessageKey,
  type MessageValues,
  matchLocale,
  translate,
} from './locales';

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, values?: MessageValues) => string;
  formatDate: (iso: string) => string;
  formatDateTime: (iso: string) => string;
  /** `14:03:07`: times of log lines and events. */
  formatTime: (iso: string) => string;
  formatNumber: (value: number) => string;
  /** `['owner', 'admin']` → `owner or admin` (or `and` with `type: 'conjunction'`). */
  formatList: (items: readonly string[], type?: 'conjunction' | 'disjunction') => string;
  setLocale: (locale: Locale) => void;
}

function createI18n(locale: Locale, setLocale: (locale: Locale) => void): I18n {
  const messages = DICTIONARIES[locale];
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const number = new Intl.NumberFormat(locale);
  return {
    locale,
    t: (key, values) => translate(messages, key, values),
    formatDate: (iso) => date.format(new Date(iso)),
    formatDateTime: (iso) => dateTime.format(new Date(iso)),
    formatTime: (iso) => time.format(new Date(iso)),
    formatNumber: (value) => number.format(value),
    formatList: (items, type = 'conjunction') => new Intl.ListFormat(locale, { type }).format(items),
    setLocale,
  };
}

const I18nContext = createContext<I18n>(createI18n(DEFAULT_LOCALE, () => undefined));

export function I18nProvider({ children }: { children: ReactNode }) {
  // Server render and first client render use the default locale, so hydration matches; then the user's.
  const [locale, setLocaleState] = useState<Locale>(DEFAULT_LOCALE);

  useEffect(() => {
    const stored = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    setLocaleState(matchLocale(stored ? [stored, ...navigator.languages] : navigator.languages));
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo(
    () =>
      createI18n(locale, (next) => {
        window.localStorage.setItem(LOCALE_STORAGE_KEY, next);
        setLocaleState(next);
      }),
    [locale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
