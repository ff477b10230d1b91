import { describe, expect, it } from 'vitest';
import { humanSize, PlainProgress } from './buildkit-progress.js';
import type { StatusResponse, Vertex } from './buildkit-status.js';

const T0 = 1_700_000_000_000;
const vertex = (digest: string, name: string, extra: Partial<Vertex> = {}): Vertex => ({
  digest,
  name,
  inputs: [],
  cached: false,
  error: '',
  ...extra,
});
const update = (parts: Partial<StatusResponse>): StatusResponse => ({
  vertexes: [],
  statuses: [],
  logs: [],
  warnings: [],
  ...parts,
});
const log = (vertexDigest: string, at: number, text: string) => ({
  vertex: vertexDigest,
  timestamp: T0 + at,
  stream: 1,
  msg: Buffer.from(text),
});

describe('humanSize', () => {
  it('prints sizes like Docker', () => {
    expect([943, 1234, 1_064_338, 5e9].map(humanSize)).toEqual(['943B', '1.23kB', '1.06MB', '5GB']);
  });
});

describe('PlainProgress', () => {
  it('renders like docker build --progress=plain', () => {
    const lines: string[] = [];
    const p = new PlainProgress((l) => lines.push(l));
    p.update(update({ vertexes: [vertex('a', '[1/3] FROM base'), vertex('b', '[2/3] RUN npm ci')] }));
    p.update(update({ vertexes: [vertex('a', '[1/3] FROM base', { cached: true, started: T0, completed: T0 })] }));
    p.update(update({ vertexes: [vertex('b', '[2/3] RUN npm ci', { started: T0 })] }));
    p.update(update({ logs: [log('b', 512, 'added 0 packages\npart'), log('b', 700, 'ial line\n')] }));
    p.update(update({ vertexes: [vertex('b', '[2/3] RUN npm ci', { started: T0, completed: T0 + 1234 })] }));
    p.update(
      update({
        vertexes: [vertex('c', 'exporting to image', { started: T0 })],
        statuses: [
          { id: 'exporting layers', vertex: 'c', name: '', current: 0, total: 0, started: T0, completed: T0 + 100 },
          { id: 'in progress', vertex: 'c', name: '', current: 1, total: 2, started: T0 },
          {
            id: 'sha256:layer',
            vertex: 'c',
            name: 'done',
            current: 1_064_338,
            total: 1_064_338,
            started: T0,
            completed: T0 + 50,
          },
          { id: 'sha256:layer', vertex: 'c', name: 'extracting', current: 0, total: 0, completed: T0 + 60 },
        ],
      }),
    );
    p.update(update({ vertexes: [vertex('d', '[3/3] RUN make', { started: T0 })], logs: [log('d', 50, 'no newline')] }));
    p.update(update({ vertexes: [vertex('d', '[3/3] RUN make', { started: T0, error: 'exit code: 2' })] }));
    expect(lines).toEqual([
      '#1 [1/3] FROM base',
      '#1 CACHED',
      '#2 [2/3] RUN npm ci',
      '#2 0.512 added 0 packages',
      '#2 0.700 partial line',
      '#2 DONE 1.2s',
      '#3 exporting to image',
      '#3 exporting layers 0.1s done',
      '#3 sha256:layer 1.06MB / 1.06MB 0.1s done',
      '#3 extracting sha256:layer done',
      '#4 [3/3] RUN make',
      '#4 0.050 no newline',
      '#4 ERROR: exit code: 2',
    ]);
    expect(p.vertexErrors).toEqual(['exit code: 2']);
  });

  it('prints a vertex once however often it is repeated, and flushes unterminated output at the end', () => {
    const lines: string[] = [];
    const p = new PlainProgress((l) => lines.push(l));
    const started = vertex('a', '[1/1] RUN x', { started: T0 });
    p.update(update({ vertexes: [started, started], logs: [log('a', 10, 'tail')] }));
    p.update(update({ vertexes: [started] }));
    p.flush();
    expect(lines).toEqual(['#1 [1/1] RUN x', '#1 0.010 tail']);
  });

  it('shows a cancelled step as CANCELED, not as an error', () => {
    const lines: string[] = [];
    const p = new PlainProgress((l) => lines.push(l));
    p.update(update({ vertexes: [vertex('a', '[1/1] RUN sleep 30', { started: T0, error: 'context canceled' })] }));
    expect(lines).toEqual(['#1 [1/1] RUN sleep 30', '#1 CANCELED']);
    expect(p.vertexErrors).toEqual([]);
  });
});
