'use client';

import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/problem';

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: ApiError | undefined };

export interface Action<A extends unknown[], T> {
  /** Runs the action; never rejects: a failure is in the result and in `error` (`error` undefined: ignored re-entry). */
  run: (...args: A) => Promise<ActionResult<T>>;
  pending: boolean;
  error: ApiError | undefined;
  reset: () => void;
}

/** What a form shows of its action: the pending flag, the error, and the reset on close. */
export type ActionState = Pick<Action<unknown[], unknown>, 'pending' | 'error' | 'reset'>;

/** A user-triggered API call with its pending flag and its error, ignoring re-entry while pending. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): Action<A, T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const running = useRef(false);
  const actionRef = useRef(action);
  actionRef.current = action;

  const run = useCallback(async (...args: A): Promise<ActionResult<T>> => {
    if (running.current) return { ok: false, error: undefined };
    running.current = true;
    setPending(true);
    setError(undefined);
    try {
      return { ok: true, value: await actionRef.current(...args) };
    } catch (cause) {
      const failure = ApiError.from(cause);
      setError(failure);
      return { ok: false, error: failure };
    } finally {
      running.current = false;
      setPending(false);
    }
  }, []);

  const reset = useCallback(() => setError(undefined), []);
  return { run, pending, error, reset };
}
