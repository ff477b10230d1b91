'use client';

import type { FieldError } from '@wharf/contracts';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { setFieldErrorWording } from '@/lib/api/problem';
import { apiText, type LocalText } from './api-text';
import {
  DEFAULT_LOCALE,
  DEFAULT_MESSAGES,
  formatDuration,
  LOCALE_STORAGE_KEY,
  type Locale,
  loadMessages,
  type MessageKey,
  type Messages,
  type MessageValues,
  matchLocale,
  translate,
} from './locales';

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, values?: MessageValues) => string;
  /** A text the API wrote, in this language when known (else as written, with its `lang`). */
  apiText: (text: string, error?: Pick<FieldError, 'code' | 'params'>) => LocalText;
  formatDate: (iso: string) => string;
  formatDateTime: (iso: string) => string;
  /** `14:03:07`: times of log lines and events. */
  formatTime: (iso: string) => string;
  formatNumber: (value: number) => string;
  /** `3m 05s` / `3 分 05 秒`: how long a build took. */
  formatDuration: (seconds: number) => string;
  /** `['owner', 'admin']` → `owner or admin` (or `and` with `type: 'conjunction'`). */
  formatList: (items: readonly string[], type?: 'conjunction' | 'disjunction') => string;
  setLocale: (locale: Locale) => void;
}

function createI18n({ locale, messages }: Language, setLocale: (locale: Locale) => void): I18n {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const number = new Intl.NumberFormat(locale);
  return {
    locale,
    t: (key, values) => translate(messages, key, values),
    apiText: (text, error) => apiText(messages, locale, text, error),
    formatDate: (iso) => date.format(new Date(iso)),
    formatDateTime: (iso) => dateTime.format(new Date(iso)),
    formatTime: (iso) => time.format(new Date(iso)),
    formatNumber: (value) => number.format(value),
    formatDuration: (seconds) => formatDuration(messages, seconds),
    formatList: (items, type = 'conjunction') => new Intl.ListFormat(locale, { type }).format(items),
    setLocale,
  };
}

/** A locale with its dictionary, once fetched. */
interface Language {
  locale: Locale;
  messages: Messages;
}

const DEFAULT_LANGUAGE: Language = { locale: DEFAULT_LOCALE, messages: DEFAULT_MESSAGES };
const I18nContext = createContext<I18n>(createI18n(DEFAULT_LANGUAGE, () => undefined));

export function I18nProvider({ children }: { children: ReactNode }) {
  // Server render and first client render use the default locale, so hydration matches; then the user's, once its
  // dictionary has come (the page stays in the current language meanwhile).
  const [language, setLanguage] = useState<Language>(DEFAULT_LANGUAGE);
  // the last locale asked for: a dictionary arriving after a later choice is not applied
  const wanted = useRef<Locale>(DEFAULT_LOCALE);

  function choose(locale: Locale) {
    wanted.current = locale;
    void loadMessages(locale).then((messages) => {
      if (wanted.current === locale) setLanguage({ locale, messages });
    });
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount (choose only sets state)
  useEffect(() => {
    const stored = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    choose(matchLocale(stored ? [stored, ...navigator.languages] : navigator.languages));
  }, []);

  useEffect(() => {
    document.documentElement.lang = language.locale;
  }, [language.locale]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when the language changes (choose only sets state)
  const value = useMemo(() => {
    const i18n = createI18n(language, (next) => {
      window.localStorage.setItem(LOCALE_STORAGE_KEY, next);
      choose(next);
    });
    // the field errors of failed calls read in this language from this render on
    setFieldErrorWording((error) => i18n.apiText(error.message, error).text);
    return i18n;
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
