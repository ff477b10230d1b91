'use client';

import { CrashView } from '@/features/shell/crash-view';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <CrashView error={error} reset={reset} />;
}
