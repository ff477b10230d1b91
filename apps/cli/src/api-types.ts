/*
 * The shapes of the API answers the CLI reads (a subset of libs/contracts, copied: the CLI installs on its own,
 * without the workspace packages).
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  personal: boolean;
  role: string;
}

export interface Me {
  user: { id: string; email: string; name: string };
  tenants: Tenant[];
}

export interface App {
  id: string;
  name: string;
  kind: 'image' | 'compose' | 'source';
  status: string;
  url: string | null;
  service: string;
  environments: { name: string; status: string; currentDeploymentId: string | null; urls: Record<string, string> }[];
}

export interface Build {
  id: string;
  number: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  reason: string | null;
}

export type DeploymentStatus =
  | 'queued'
  | 'preparing'
  | 'testing'
  | 'rolling_out'
  | 'live'
  | 'failed'
  | 'rolled_back'
  | 'cancelled';

export interface Deployment {
  id: string;
  environment: string;
  revision: number;
  status: DeploymentStatus;
  reason: string | null;
  image: string;
  rollbackOf: string | null;
  buildId: string | null;
  createdAt: string;
}

export interface Variable {
  key: string;
  secret: boolean;
  value: string | null;
  updatedAt: string;
}

/** `event: log` of a build's log stream. */
export interface BuildLogEvent {
  seq: number;
  text: string;
}

/** `event: status | log` of a deployment's event stream. */
export interface DeploymentEvent {
  seq: number;
  at: string;
  kind: 'status' | 'log';
  message: string;
}

/** `event: log` of a service's log stream. */
export interface LogLine {
  /** Unix milliseconds. */
  at: number;
  source: string;
  stream: 'stdout' | 'stderr';
  line: string;
}
