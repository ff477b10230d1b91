'use client';

import type { ReactNode } from 'react';
import { useScrollRegion } from '@/lib/hooks/use-scroll-region';

/**
 * The box of a table wider than the screen: it scrolls sideways instead of the page, and while it does it is a region
 * named `label` that the keyboard can reach and scroll.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const region = useScrollRegion<HTMLDivElement>(label);
  return (
    <div className="table-wrap" {...region}>
      {children}
    </div>
  );
}
