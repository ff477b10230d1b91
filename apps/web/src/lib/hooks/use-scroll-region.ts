'use client';

import { type RefObject, useEffect, useRef, useState } from 'react';

export interface ScrollRegionProps<T extends HTMLElement> {
  ref: RefObject<T | null>;
  role?: 'region';
  'aria-label'?: string;
  tabIndex?: number;
}

function overflows(box: HTMLElement): boolean {
  return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
}

/**
 * Props for a box with `overflow: auto` (a wide table, a long policy): while its content does not fit, it is a named
 * region in the Tab order, so a keyboard can scroll it (WCAG 2.1.1); while it fits, it is a plain box.
 */
export function useScrollRegion<T extends HTMLElement>(label: string): ScrollRegionProps<T> {
  const ref = useRef<T>(null);
  const [scrolls, setScrolls] = useState(false);
  // after every render (rows come and go) and whenever the box is resized (the viewport, a font)
  useEffect(() => {
    const box = ref.current;
    if (box) setScrolls(overflows(box));
  });
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const observer = new ResizeObserver(() => setScrolls(overflows(box)));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  return scrolls ? { ref, role: 'region', 'aria-label': label, tabIndex: 0 } : { ref };
}
