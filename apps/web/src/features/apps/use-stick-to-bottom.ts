'use client';

import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK = 24;

export interface StickToBottom {
  /** Pass to the scrolling element's `onScroll`. */
  onScroll: () => void;
  /** False once the user scrolled up: new content no longer scrolls the view. */
  atBottom: boolean;
  jumpToBottom: () => void;
}

/**
 * Keeps a scrolling element at its bottom as content is appended (`version` changes), unless the user
 * scrolled up to read; scrolling back down, or `jumpToBottom()`, follows again.
 */
export function useStickToBottom(ref: RefObject<HTMLElement | null>, version: unknown): StickToBottom {
  const [atBottom, setAtBottom] = useState(true);
  const follow = useRef(true);

  const onScroll = useCallback(() => {
    const element = ref.current;
    if (!element) return;
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight <= SLACK;
    follow.current = bottom;
    setAtBottom(bottom);
  }, [ref]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the signal that content was appended
  useLayoutEffect(() => {
    const element = ref.current;
    if (element && follow.current) element.scrollTop = element.scrollHeight;
  }, [ref, version]);

  const jumpToBottom = useCallback(() => {
    const element = ref.current;
    follow.current = true;
    setAtBottom(true);
    if (element) element.scrollTop = element.scrollHeight;
  }, [ref]);

  return { onScroll, atBottom, jumpToBottom };
}
