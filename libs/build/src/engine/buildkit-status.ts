/**
 * A decoder for the one protobuf message the engine streams during a BuildKit build: the `StatusResponse` of
 * BuildKit's control API (moby/buildkit api/services/control/control.proto), base64 in the `aux` of each
 * `{"id":"moby.buildkit.trace"}` message. Only the fields Wharf renders are read; every other field is skipped
 * by its wire type, so newer engines that add fields still decode.
 */

import { fields } from './protowire.js';

export { ProtobufError } from './protowire.js';

export interface Vertex {
  digest: string;
  inputs: string[];
  name: string;
  cached: boolean;
  /** Milliseconds since the epoch. */
  started?: number;
  completed?: number;
  error: string;
}

export interface VertexStatus {
  id: string;
  vertex: string;
  name: string;
  current: number;
  total: number;
  timestamp?: number;
  started?: number;
  completed?: number;
}

export interface VertexLog {
  vertex: string;
  timestamp?: number;
  /** 1 = stdout, 2 = stderr */
  stream: number;
  msg: Uint8Array;
}

export interface VertexWarning {
  vertex: string;
  level: number;
  short: string;
}

export interface StatusResponse {
  vertexes: Vertex[];
  statuses: VertexStatus[];
  logs: VertexLog[];
  warnings: VertexWarning[];
}

const utf8 = new TextDecoder();
const str = (v: bigint | Uint8Array): string => (v instanceof Uint8Array ? utf8.decode(v) : '');
const bytes = (v: bigint | Uint8Array): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array());
/** int64 fields are two's complement varints. */
const int = (v: bigint | Uint8Array): number => (typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : 0);

/** google.protobuf.Timestamp { int64 seconds = 1; int32 nanos = 2; } → epoch milliseconds. */
function timestamp(v: bigint | Uint8Array): number {
  let seconds = 0;
  let nanos = 0;
  for (const f of fields(bytes(v))) {
    if (f.field === 1) seconds = int(f.value);
    else if (f.field === 2) nanos = int(f.value);
  }
  return seconds * 1000 + nanos / 1e6;
}

function vertex(buf: Uint8Array): Vertex {
  const v: Vertex = { digest: '', inputs: [], name: '', cached: false, error: '' };
  for (const { field, value } of fields(buf)) {
    if (field === 1) v.digest = str(value);
    else if (field === 2) v.inputs.push(str(value));
    else if (field === 3) v.name = str(value);
    else if (field === 4) v.cached = value === 1n;
    else if (field === 5) v.started = timestamp(value);
    else if (field === 6) v.completed = timestamp(value);
    else if (field === 7) v.error = str(value);
  }
  return v;
}

function vertexStatus(buf: Uint8Array): VertexStatus {
  const s: VertexStatus = { id: '', vertex: '', name: '', current: 0, total: 0 };
  for (const { field, value } of fields(buf)) {
    if (field === 1) s.id = str(value);
    else if (field === 2) s.vertex = str(value);
    else if (field === 3) s.name = str(value);
    else if (field === 4) s.current = int(value);
    else if (field === 5) s.total = int(value);
    else if (field === 6) s.timestamp = timestamp(value);
    else if (field === 7) s.started = timestamp(value);
    else if (field === 8) s.completed = timestamp(value);
  }
  return s;
}

function vertexLog(buf: Uint8Array): VertexLog {
  const l: VertexLog = { vertex: '', stream: 0, msg: new Uint8Array() };
  for (const { field, value } of fields(buf)) {
    if (field === 1) l.vertex = str(value);
    else if (field === 2) l.timestamp = timestamp(value);
    else if (field === 3) l.stream = int(value);
    else if (field === 4) l.msg = bytes(value);
  }
  return l;
}

function vertexWarning(buf: Uint8Array): VertexWarning {
  const w: VertexWarning = { vertex: '', level: 0, short: '' };
  for (const { field, value } of fields(buf)) {
    if (field === 1) w.vertex = str(value);
    else if (field === 2) w.level = int(value);
    else if (field === 3) w.short = str(value);
  }
  return w;
}

/** Decodes one StatusResponse; throws ProtobufError on malformed input. */
export function decodeStatusResponse(buf: Uint8Array): StatusResponse {
  const out: StatusResponse = { vertexes: [], statuses: [], logs: [], warnings: [] };
  for (const { field, value } of fields(buf)) {
    if (!(value instanceof Uint8Array)) continue;
    if (field === 1) out.vertexes.push(vertex(value));
    else if (field === 2) out.statuses.push(vertexStatus(value));
    else if (field === 3) out.logs.push(vertexLog(value));
    else if (field === 4) out.warnings.push(vertexWarning(value));
  }
  return out;
}
