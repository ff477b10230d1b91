import type { ReactNode } from 'react';
import { AppFrame } from '@/features/apps/app-frame';

export default async function AppLayout({ children, params }: { children: ReactNode; params: Promise<{ app: string }> }) {
  const { app } = await params;
  return <AppFrame appRef={decodeURIComponent(app)}>{children}</AppFrame>;
}
