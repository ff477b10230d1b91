'use client';

import { useEffect, useState } from 'react';

/** The current time, renewed every `intervalMs` (for "seen 5s ago" that counts on by itself). */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Whole seconds from `iso` to `now`, never negative (a clock a little ahead of the API's). */
export function secondsSince(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1_000));
}
