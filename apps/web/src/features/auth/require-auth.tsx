'use client';

import { useRouter } from 'next/navigation';
import { type ReactNode, useEffect } from 'react';
import { ErrorState, Loading } from '@/components/states';
import { withNext } from './safe-next';
import { useSession } from './session-provider';

/** Renders `children` for a signed-in user; sends anyone else to the login page and back here after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state, reload } = useSession();
  const router = useRouter();

  const signedOut = state.status === 'anonymous' && state.signedOut === true;
  useEffect(() => {
    if (state.status !== 'anonymous') return;
    // After a logout, start afresh; otherwise come back here after signing in.
    router.replace(signedOut ? '/login' : withNext('/login', window.location.pathname + window.location.search));
  }, [state.status, signedOut, router]);

  if (state.status === 'authenticated') return children;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={() => void reload()} />;
  return <Loading />;
}
