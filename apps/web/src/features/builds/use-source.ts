'use client';

import { sourceRoutes } from '@wharf/contracts';
import { useApp } from '@/features/apps/app-provider';
import { api } from '@/lib/api/client';
import { type Resource, useResource } from '@/lib/hooks/use-resource';
import type { AppSource } from './source-body';

/** The app's git source; a 404 means the app is built from uploaded archives (`wharf deploy`), with no repository. */
export function useSource(): Resource<AppSource> & { uploadOnly: boolean } {
  const { params } = useApp();
  const resource = useResource((signal) => api(sourceRoutes.get, { params }, { signal }), [params]);
  return { ...resource, uploadOnly: resource.error?.status === 404 };
}
