'use client';

import { authRoutes, type Me, type Session } from '@wharf/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, onAuthLost } from '@/lib/api/client';
import { ApiError } from '@/lib/api/problem';
import { clearAccess, currentAccess, storeSession } from '@/lib/api/session-store';

export type SessionState =
  | { status: 'loading' }
  /** `signedOut`: the user logged out here (rather than never signed in, or the session expired). */
  | { status: 'anonymous'; signedOut?: boolean }
  | { status: 'error'; error: ApiError }
  | { status: 'authenticated'; me: Me };

export interface SessionContextValue {
  state: SessionState;
  /** Re-reads `/me` (after creating a team, accepting an invitation, a role change…). */
  reload: () => Promise<void>;
  signIn: (session: Session) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

async function loadMe(): Promise<SessionState> {
  try {
    if (!(await currentAccess())) return { status: 'anonymous' };
    return { status: 'authenticated', me: await api(authRoutes.me, {}) };
  } catch (cause) {
    const error = ApiError.from(cause);
    return error.status === 401 ? { status: 'anonymous' } : { status: 'error', error };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const reload = useCallback(async () => {
    setState(await loadMe());
  }, []);

  useEffect(() => {
    void reload();
    return onAuthLost(() => setState({ status: 'anonymous' }));
  }, [reload]);

  const signIn = useCallback(
    async (session: Session) => {
      storeSession(session);
      await reload();
    },
    [reload],
  );

  const signOut = useCallback(async () => {
    try {
      await api(authRoutes.logout, {});
    } catch (cause) {
      // The local session ends regardless; the refresh token then expires on its own.
      console.warn('logout failed', cause);
    } finally {
      clearAccess();
      setState({ status: 'anonymous', signedOut: true });
    }
  }, []);

  const value = useMemo(() => ({ state, reload, signIn, signOut }), [state, reload, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside <SessionProvider>');
  return value;
}

/** The signed-in user's `/me`; only for components rendered inside <RequireAuth>. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useMe outside <RequireAuth>');
  return state.me;
}
