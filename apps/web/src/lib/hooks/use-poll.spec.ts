import { describe, expect, it } from 'vitest';
import { mergeFirstPage } from './use-poll';

interface Item {
  id: string;
  v: number;
}
const key = (item: Item) => item.id;
const items = (spec: string): Item[] => spec.split(' ').map((s) => ({ id: s[0] ?? '', v: Number(s.slice(1)) }));

describe('mergeFirstPage', () => {
  it('updates items in place and keeps later pages', () => {
    expect(mergeFirstPage(items('a1 b1 c1 d1'), items('a2 b2'), key)).toEqual(items('a2 b2 c1 d1'));
  });

  it('puts new items first', () => {
    expect(mergeFirstPage(items('b1 c1'), items('a1 b2'), key)).toEqual(items('a1 b2 c1'));
  });

  it('drops an item deleted from the first page', () => {
    expect(mergeFirstPage(items('a1 b1 c1 d1'), items('a1 c1 d1'), key)).toEqual(items('a1 c1 d1'));
  });

  it('fills an empty list', () => {
    expect(mergeFirstPage([], items('a1'), key)).toEqual(items('a1'));
  });
});
