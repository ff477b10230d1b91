import { describe, expect, it } from 'vitest';
import { appendLog, buildRef, EMPTY_LOG, isFinalBuild, shortCommit, visibleLines } from './build-format';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('buildRef', () => {
  it('shows branch@short commit, or what is known', () => {
    expect(buildRef({ branch: 'main', commit: SHA })).toBe('main@0123456');
    expect(buildRef({ branch: 'main', commit: null })).toBe('main');
    expect(buildRef({ branch: null, commit: SHA })).toBe('0123456');
    expect(buildRef({ branch: null, commit: null })).toBe('—');
    expect(shortCommit(null)).toBe('');
  });
});

describe('isFinalBuild', () => {
  it('knows which statuses end a build', () => {
    expect(['queued', 'running'].map((s) => isFinalBuild(s as 'queued'))).toEqual([false, false]);
    expect(['succeeded', 'failed', 'cancelled'].map((s) => isFinalBuild(s as 'failed'))).toEqual([true, true, true]);
  });
});

describe('appendLog', () => {
  it('splits chunks into lines and completes a line cut between chunks', () => {
    let log = appendLog(EMPTY_LOG, 'step 1\nstep');
    expect(log.lines).toEqual(['step 1']);
    expect(visibleLines(log)).toEqual(['step 1', 'step']);
    log = appendLog(log, ' 2\r\nstep 3\n');
    expect(log.lines).toEqual(['step 1', 'step 2', 'step 3']);
    expect(log.partial).toBe('');
    expect(visibleLines(log)).toEqual(['step 1', 'step 2', 'step 3']);
  });

  it('keeps the last lines and counts those dropped', () => {
    const log = appendLog(appendLog(EMPTY_LOG, 'a\nb\nc\n', 2), 'd\ne\n', 2);
    expect(log.lines).toEqual(['d', 'e']);
    expect(log.dropped).toBe(3);
  });

  it('treats a lone carriage return as a line end and ignores empty chunks', () => {
    const log = appendLog(EMPTY_LOG, '10%\r50%\r');
    expect(log.lines).toEqual(['10%', '50%']);
    expect(appendLog(log, '')).toBe(log);
  });
});
