/*
 * The `wharf.*` labels on every engine object Wharf creates. They are how the agent and the reconcile job find
 * Wharf's objects again (look up by label before creating), so they are a contract with objects that already
 * exist on engines: renaming a key or the managed-by value strands those objects (they would no longer be found,
 * then created twice). Add keys; never rename or remove one.
 */
export const LABEL_TENANT = 'wharf.tenant';
export const LABEL_APP = 'wharf.app';
export const LABEL_ENVIRONMENT = 'wharf.environment';
export const LABEL_SERVICE = 'wharf.service';
export const LABEL_DEPLOYMENT = 'wharf.deployment';
export const LABEL_MANAGED_BY = 'wharf.managed-by';
/** Name of the stack-level object (network, volume, secret, config) a Swarm object was made for. */
export const LABEL_OBJECT = 'wharf.object';
/** The cluster (Wharf's id) whose agent made the object: an agent only ever prunes its own cluster's objects. */
export const LABEL_CLUSTER = 'wharf.cluster';
/** On a service: the public host name the cluster's edge proxy routes to the service's HTTP port. */
export const LABEL_ROUTE_HOST = 'wharf.route.host';
/** On a service: the container port the edge proxy routes to. */
export const LABEL_ROUTE_PORT = 'wharf.route.port';
/** The value of `wharf.managed-by`. */
export const MANAGED_BY = 'wharf';

export interface LabelScope {
  tenantId: string;
  app: string;
  environment: string;
  /** The cluster whose agent writes the object. */
  clusterId?: string;
  /** Service objects (and their containers) only. */
  service?: string;
  /** The deployment that last wrote the object. */
  deploymentId?: string;
}

/** The `wharf.*` labels of an object in `scope`. */
export function wharfLabels(scope: LabelScope): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_TENANT]: scope.tenantId,
    [LABEL_APP]: scope.app,
    [LABEL_ENVIRONMENT]: scope.environment,
    ...(scope.clusterId !== undefined ? { [LABEL_CLUSTER]: scope.clusterId } : {}),
    ...(scope.service !== undefined ? { [LABEL_SERVICE]: scope.service } : {}),
    ...(scope.deploymentId !== undefined ? { [LABEL_DEPLOYMENT]: scope.deploymentId } : {}),
  };
}

/**
 * Engine `label=` filters selecting Wharf's objects of a scope (for `GET /services?filters=…` and the like).
 * The deployment is left out on purpose: an object belongs to its environment whatever deployment wrote it.
 */
export function labelFilters(scope: Omit<LabelScope, 'deploymentId'>): string[] {
  const { tenantId, app, environment, service } = scope;
  return Object.entries(wharfLabels({ tenantId, app, environment, service })).map(([k, v]) => `${k}=${v}`);
}
