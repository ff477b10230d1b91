import type { StatusResponse, Vertex } from './buildkit-status.js';

interface VertexState {
  index: number;
  name: string;
  started?: number;
  headerShown: boolean;
  finished: boolean;
  /** A log chunk's unterminated tail, printed when the next chunk ends it or the vertex completes. */
  partial: string;
  /** The time column of the vertex's last log chunk. */
  lastAt: string;
}

/** Sizes as Docker prints them: decimal units, three significant digits (`2.18kB`, `1.06MB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
}

const seconds = (ms: number, digits: number) => (Math.max(0, ms) / 1000).toFixed(digits);

/**
 * Renders BuildKit status updates as the lines `docker build --progress=plain` prints:
 * `#3 [2/4] RUN npm ci`, `#3 0.512 added 0 packages`, `#3 CACHED`, `#3 DONE 1.2s`, `#3 ERROR: …`.
 * Vertex numbers are given in the order vertexes first print, so they have no gaps.
 */
export class PlainProgress {
  private readonly vertexes = new Map<string, VertexState>();
  private next = 1;
  private readonly errors: string[] = [];

  constructor(private readonly emit: (line: string) => void) {}

  /** The errors of failed vertexes, in order (`process "/bin/sh -c …" did not complete successfully: exit code: 1`). */
  get vertexErrors(): readonly string[] {
    return this.errors;
  }

  update(status: StatusResponse): void {
    for (const v of status.vertexes) this.vertex(v);
    for (const s of status.statuses) {
      if (s.completed === undefined) continue;
      const state = this.state(s.vertex);
      if (!state) continue;
      this.header(state);
      // ID is what is being done (`sha256:…` of a layer, `exporting layers`); name a state like `extracting`,
      // or the ID's own first word (`transferring` of `transferring context:`)
      const label = s.name && s.name !== 'done' && !s.id.startsWith(s.name) ? `${s.name} ${s.id}` : s.id;
      const size = s.current > 0 ? ` ${humanSize(s.current)}` : '';
      const progress = s.total > 0 ? ` ${humanSize(s.current)} / ${humanSize(s.total)}` : size;
      const took = s.started !== undefined ? ` ${seconds(s.completed - s.started, 1)}s` : '';
      this.emit(`#${state.index} ${label}${progress}${took} done`);
    }
    for (const log of status.logs) {
      const state = this.state(log.vertex);
      if (!state) continue;
      this.header(state);
      const at = seconds((log.timestamp ?? 0) - (state.started ?? log.timestamp ?? 0), 3);
      state.lastAt = at;
      const text = state.partial + new TextDecoder().decode(log.msg);
      const lines = text.split(/\r?\n|\r/);
      state.partial = lines.pop() ?? '';
      for (const line of lines) this.emit(`#${state.index} ${at} ${line}`);
    }
    for (const w of status.warnings) {
      const state = this.state(w.vertex);
      this.emit(`${state ? `#${state.index} ` : ''}WARNING: ${w.short}`);
    }
  }

  /** Prints what is left of unterminated log lines (at the end of a build). */
  flush(): void {
    for (const state of this.vertexes.values()) this.flushPartial(state);
  }

  private state(digest: string): VertexState | undefined {
    return this.vertexes.get(digest);
  }

  private vertex(v: Vertex): void {
    let state = this.vertexes.get(v.digest);
    if (!state) {
      state = { index: 0, name: v.name, headerShown: false, finished: false, partial: '', lastAt: '0.000' };
      this.vertexes.set(v.digest, state);
    }
    state.name = v.name || state.name;
    if (v.started !== undefined) state.started = v.started;
    if (state.finished) return;
    if (v.cached) {
      this.header(state);
      this.emit(`#${state.index} CACHED`);
      state.finished = true;
    } else if (v.error) {
      this.header(state);
      this.flushPartial(state);
      const cancelled = /context canceled/.test(v.error);
      this.emit(`#${state.index} ${cancelled ? 'CANCELED' : `ERROR: ${v.error}`}`);
      if (!cancelled) this.errors.push(v.error);
      state.finished = true;
    } else if (v.completed !== undefined) {
      this.header(state);
      this.flushPartial(state);
      this.emit(`#${state.index} DONE ${seconds(v.completed - (v.started ?? v.completed), 1)}s`);
      state.finished = true;
    } else if (v.started !== undefined) {
      this.header(state);
    }
  }

  private header(state: VertexState): void {
    if (state.headerShown) return;
    state.index ||= this.next++;
    state.headerShown = true;
    this.emit(`#${state.index} ${state.name}`);
  }

  private flushPartial(state: VertexState): void {
    if (!state.partial) return;
    this.emit(`#${state.index} ${state.lastAt} ${state.partial}`);
    state.partial = '';
  }
}
