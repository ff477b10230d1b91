import { describe, expect, it } from 'vitest';
import { filterLines, logFileName, logFileText, splitMatches } from './log-search';

const line = (text: string, extra: Partial<{ source: string; stream: 'stdout' | 'stderr' }> = {}) => ({
  id: 1,
  at: '2026-11-29T06:00:05.123Z',
  source: 'web.1',
  stream: 'stdout' as const,
  line: text,
  ...extra,
});

describe('filterLines', () => {
  it('keeps the lines containing the search, whatever the case', () => {
    const lines = [line('GET /health 200'), line('error: boom'), line('Error again')];
    expect(filterLines(lines, 'error').map((l) => l.line)).toEqual(['error: boom', 'Error again']);
  });

  it('keeps every line for a blank search', () => {
    const lines = [line('a'), line('b')];
    expect(filterLines(lines, '  ')).toBe(lines);
  });
});

describe('splitMatches', () => {
  it('cuts the text around every occurrence, keeping its own case', () => {
    expect(splitMatches('Err, err and ERR!', 'err')).toEqual([
      { text: 'Err', match: true },
      { text: ', ', match: false },
      { text: 'err', match: true },
      { text: ' and ', match: false },
      { text: 'ERR', match: true },
      { text: '!', match: false },
    ]);
  });

  it('answers the whole text as one plain part without a search or a match', () => {
    expect(splitMatches('hello', '')).toEqual([{ text: 'hello', match: false }]);
    expect(splitMatches('hello', 'x')).toEqual([{ text: 'hello', match: false }]);
  });
});

describe('the log file', () => {
  it('has one line per log line with its time, replica and stream', () => {
    expect(logFileText([line('started'), line('oops', { stream: 'stderr', source: '' })])).toBe(
      '2026-11-29T06:00:05.123Z web.1 stdout started\n2026-11-29T06:00:05.123Z - stderr oops\n',
    );
  });

  it('is named after the app, service, environment and time, without characters a file system refuses', () => {
    const name = logFileName({ app: 'shop', service: 'web', environment: 'production' }, new Date('2026-11-29T06:07:08.9Z'));
    expect(name).toBe('shop-web-production-2026-11-29T060708Z.log');
    expect(logFileName({ app: 'a/b', service: 'c d', environment: 'e' }, new Date(0))).toBe('a_b-c_d-e-1970-01-01T000000Z.log');
  });
});
