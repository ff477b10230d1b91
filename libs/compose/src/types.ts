import { CLUSTER_POLICY_RULES, type ClusterPolicyRule } from '@wharf/contracts';
import type { StackSpec } from '@wharf/engine';
import type { ServiceBuild } from './normalise-build.js';

/*
 * The public shapes of libs/compose: what a compose file compiles to, and how a problem in it is reported. The API
 * turns `ComposeIssue`s into the `errors` of a problem+json document; the dashboard shows them at their lines.
 */

/** 1-based line and column in the named file. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * Named policy rules (see docs/compose.md). A dedicated cluster's owner may relax any of them: the list is the
 * contracts' (the API and the dashboard offer the same rules).
 */
export const POLICY_RULES = CLUSTER_POLICY_RULES;
export type PolicyRule = ClusterPolicyRule;

export interface ComposeIssue extends SourceLocation {
  severity: 'error' | 'warning';
  /**
   * Machine-readable kind: `yaml` (syntax), `interpolation`, `unknown-key`, `type`, `range`, `reference`, `cycle`,
   * `unsupported`, `ignored`, `policy`, `quota`.
   */
  code: string;
  /** Where in the document, as a dotted path with indexes: `services.web.ports[0].target`. */
  path: string;
  message: string;
  /** Set when `code` is `policy`. */
  rule?: PolicyRule;
}

export interface CompileOptions {
  /** File name shown in locations. Default `docker-compose.yml`. */
  file?: string;
  /** Values for `${VAR}` interpolation and for `environment` entries given without a value. */
  variables?: Record<string, string>;
  /** Active profiles (besides those `COMPOSE_PROFILES` in `variables` names). */
  profiles?: string[];
  /**
   * `deploy`: the stack as it runs in an environment (the test service left out).
   * `test`: the stack plus its test service (run once, as a job), for the integration stage.
   */
  stage?: 'deploy' | 'test';
  /** Where the stack runs: a shared cluster enforces every policy rule; a dedicated one those not relaxed. */
  cluster?: { shared: boolean; relaxed?: readonly PolicyRule[] };
  /** Images that builds made for the services that build (service → `image@digest`). */
  builtImages?: Record<string, string>;
}

export type DependencyCondition = 'started' | 'healthy' | 'completed';

export interface DependencyGraph {
  /** Service names in a deployable order (each after everything it depends on). */
  order: string[];
  /** Services that can be deployed together: every layer depends only on earlier layers. */
  layers: string[][];
  edges: { from: string; to: string; condition: DependencyCondition; required: boolean }[];
}

/** Something a service needs from outside the stack, bound per environment (`external_links`, `x-wharf-external`). */
export interface ExternalNeed {
  /** The binding's name: what an environment binds to a host:port, a URL or another app's service. */
  name: string;
  /** The service that needs it. */
  service: string;
  /** The DNS name the service uses for it (`external_links: [name:alias]`); defaults to the name. */
  alias: string;
}

/** Where the value of a stack secret or config comes from. */
export type ValueSource =
  /** An environment variable or secret of the Wharf environment (compose `environment:` or `external: true`). */
  | { kind: 'variable'; name: string }
  /** Inline in the compose file (compose `content:`, configs only). */
  | { kind: 'content'; value: string };

export interface CompiledStack {
  stack: StackSpec;
  graph: DependencyGraph;
  externals: ExternalNeed[];
  secrets: Record<string, ValueSource>;
  configs: Record<string, ValueSource>;
  /** The test service's name, when the file has one (it is in `stack` only for the `test` stage). */
  test?: string;
  /** Services that build from the app's repository (their image is `builtImages`', or pending until a build). */
  builds: Record<string, ServiceBuild>;
  /** Location of a path (as in `ComposeIssue.path`), or of its nearest ancestor that has one. */
  locate(path: string): SourceLocation;
}

export type CompileResult =
  | ({ ok: true; warnings: ComposeIssue[] } & CompiledStack)
  | { ok: false; errors: ComposeIssue[]; warnings: ComposeIssue[] };
