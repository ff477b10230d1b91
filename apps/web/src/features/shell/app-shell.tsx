'use client';

import type { ReactNode } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AppHeader } from './app-header';
import type { NavSection } from './nav';
import { Sidebar } from './sidebar';

/** The signed-in frame: header, a sidebar of sections, and the page. */
export function AppShell({
  sections,
  banner,
  children,
}: {
  sections: readonly NavSection[];
  banner?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <AppHeader />
      <div className="shell">
        <Sidebar sections={sections} />
        <main id="main" className="main" tabIndex={-1}>
          {banner}
          {children}
        </main>
      </div>
    </div>
  );
}
