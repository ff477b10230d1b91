import { describe, expect, it } from 'vitest';
import { FrameDemuxer, LineSplitter, parseLogLine } from './log-demux.js';

function frame(type: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('FrameDemuxer', () => {
  it('splits frames of stdout and stderr, whatever the chunk boundaries', () => {
    const all = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err one\n'), frame(1, 'out two\n')]);
    for (const cut of [1, 3, 8, 9, 15, 16, 20, all.length - 1]) {
      const d = new FrameDemuxer();
      const frames = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([
        ['stdout', 'out one\n'],
        ['stderr', 'err one\n'],
        ['stdout', 'out two\n'],
      ]);
    }
  });

  it('passes a stream without frame headers (TTY) through as stdout', () => {
    const d = new FrameDemuxer();
    expect(d.push(Buffer.from('plain text\n'))).toEqual([{ stream: 'stdout', data: Buffer.from('plain text\n') }]);
  });
});

describe('LineSplitter', () => {
  it('joins lines cut between pushes, drops CR, keeps the partial tail for flush', () => {
    const s = new LineSplitter();
    expect(s.push('hel')).toEqual([]);
    expect(s.push('lo\r\nwor')).toEqual(['hello']);
    expect(s.push('ld\n\nlast')).toEqual(['world', '']);
    expect(s.flush()).toEqual(['last']);
    expect(s.flush()).toEqual([]);
  });

  it('cuts lines longer than the limit', () => {
    const s = new LineSplitter(4);
    expect(s.push('abcdefghij')).toEqual(['abcd', 'efgh']);
    expect(s.push('\n')).toEqual(['ij']);
  });

  it('does not break a multi-byte character cut between two pushes', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('é\n');
    expect(s.push(bytes.subarray(0, 1))).toEqual([]);
    expect(s.push(bytes.subarray(1))).toEqual(['é']);
  });
});

describe('parseLogLine', () => {
  it('reads the timestamp, the details and the message', () => {
    const line =
      '2026-11-28T13:14:07.116378919Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 hello out';
    expect(parseLogLine(line)).toEqual({
      at: Date.parse('2026-11-28T13:14:07.116Z'),
      details: { 'com.docker.swarm.node.id': 'n1', 'com.docker.swarm.service.id': 's1', 'com.docker.swarm.task.id': 't1' },
      message: 'hello out',
    });
  });

  it('accepts a line without details or timestamp', () => {
    expect(parseLogLine('2026-11-28T13:14:07Z just text = here')).toEqual({
      at: Date.parse('2026-11-28T13:14:07Z'),
      details: {},
      message: 'just text = here',
    });
    expect(parseLogLine('no timestamp')).toEqual({ details: {}, message: 'no timestamp' });
  });
});
