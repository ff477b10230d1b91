'use client';

import type { App } from '@wharf/contracts';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/page-header';
import { useTenant } from '@/features/tenant/tenant-provider';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/locales';
import { appsPath } from './app-paths';
import { AppProvider, useApp } from './app-provider';
import { AppSummary } from './app-summary';
import { ReplicasControl } from './replicas-control';
import { StaleNotice } from './stale-notice';

interface Tab {
  /** Below the app's path ('' for deployments, the default tab). */
  path: string;
  label: MessageKey;
  /** Other paths the tab stays selected on. */
  also?: string;
  /** Only for apps of this kind (the Stack tab: compose apps; Builds and Source: apps built from source). */
  kind?: App['kind'];
}

const TABS: readonly Tab[] = [
  { path: '', label: 'app.tab.deployments', also: '/deployments' },
  { path: '/builds', label: 'app.tab.builds', kind: 'source' },
  { path: '/stack', label: 'app.tab.stack', kind: 'compose' },
  { path: '/environments', label: 'app.tab.environments' },
  { path: '/logs', label: 'app.tab.logs' },
  { path: '/variables', label: 'app.tab.variables' },
  { path: '/source', label: 'app.tab.source', kind: 'source' },
  { path: '/settings', label: 'app.tab.settings' },
];

function isCurrent(tab: Tab, base: string, pathname: string): boolean {
  if (pathname === base + tab.path) return true;
  if (tab.path && pathname.startsWith(`${base}${tab.path}/`)) return true;
  return !!tab.also && pathname.startsWith(`${base}${tab.also}/`);
}

function AppTabs() {
  const { t } = useI18n();
  const pathname = usePathname();
  const { app, basePath } = useApp();
  return (
    <nav className="tabs" aria-label={t('app.tabs')}>
      {TABS.filter((tab) => !tab.kind || tab.kind === app.kind).map((tab) => {
        const current = isCurrent(tab, basePath, pathname);
        return (
          <Link
            key={tab.path}
            href={basePath + tab.path}
            className={current ? 'tab active' : 'tab'}
            aria-current={current ? 'page' : undefined}
          >
            {t(tab.label)}
          </Link>
        );
      })}
    </nav>
  );
}

function AppHeading() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const { app, stale, basePath } = useApp();
  return (
    <>
      <nav aria-label={t('app.breadcrumb')} className="breadcrumb">
        <Link href={appsPath(tenant.slug)}>{t('nav.apps')}</Link>
        <span aria-hidden="true"> / </span>
        <span>{app.name}</span>
      </nav>
      <PageHeader title={app.displayName} description={app.displayName !== app.name && <code>{app.name}</code>} />
      <section className="card" aria-label={t('app.details')}>
        <StaleNotice error={stale} />
        <AppSummary app={app} basePath={basePath} />
      </section>
      <ReplicasControl />
    </>
  );
}

/** An app's pages: its header, controls and tabs above the tab's content. */
export function AppFrame({ appRef, children }: { appRef: string; children: ReactNode }) {
  return (
    <AppProvider appRef={appRef}>
      <AppHeading />
      <AppTabs />
      {children}
    </AppProvider>
  );
}
