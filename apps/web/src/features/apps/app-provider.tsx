'use client';

import { type App, appRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { ApiError } from '@/lib/api/problem';
import { usePoll } from '@/lib/hooks/use-poll';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { appsPath } from './app-paths';
import { POLL_MS } from './app-status';

export interface AppContextValue {
  app: App;
  /** `/t/{tenant}/apps/{ref}` as in the address bar: the base of the tabs' links. */
  basePath: string;
  /** Params of the app's routes. */
  params: { tenant: string; app: string };
  /** After a call that answers the app (scale, stop, start). */
  setApp: (app: App) => void;
  /** A background refresh failed: what is shown may be stale. */
  stale: ApiError | undefined;
}

const AppContext = createContext<AppContextValue | undefined>(undefined);

function AppNotFound() {
  const { t } = useI18n();
  const { tenant } = useTenant();
  return (
    <EmptyState title={t('app.notFound')}>
      <Link href={appsPath(tenant.slug)} className="button button-secondary">
        {t('app.backToApps')}
      </Link>
    </EmptyState>
  );
}

/** Loads the app of the URL (name or id) for its pages, refreshing it every few seconds. */
export function AppProvider({ appRef, children }: { appRef: string; children: ReactNode }) {
  const { tenant } = useTenant();
  const params = useMemo(() => ({ tenant: tenant.slug, app: appRef }), [tenant.slug, appRef]);
  const resource = useResource((signal) => api(appRoutes.get, { params }, { signal }), [params]);
  const stale = usePoll(
    async (signal) => {
      const app = await api(appRoutes.get, { params }, { signal });
      resource.mutate(() => app);
    },
    POLL_MS,
    !!resource.data,
  );

  const app = resource.data;
  const value = useMemo(
    (): AppContextValue | undefined =>
      app && {
        app,
        basePath: `${appsPath(tenant.slug)}/${encodeURIComponent(appRef)}`,
        params,
        setApp: (next) => resource.mutate(() => next),
        stale,
      },
    [app, tenant.slug, appRef, params, resource.mutate, stale],
  );

  if (resource.error && !app) {
    return resource.error.status === 404 ? <AppNotFound /> : <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  if (!value) return <Loading />;
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppProvider>');
  return value;
}
