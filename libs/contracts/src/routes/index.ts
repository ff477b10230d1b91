import type { RouteContract } from '../route.js';
import { apiTokenRoutes, auditRoutes, registryRoutes } from './access.js';
import { appRoutes, deploymentRoutes, variableRoutes } from './apps.js';
import { authRoutes } from './auth.js';
import { buildRoutes, gitConnectionRoutes, hookRoutes, sourceRoutes } from './builds.js';
import { cloudAccountRoutes } from './clouds.js';
import { clusterRoutes, providerCatalogRoutes } from './clusters.js';
import { brokerRoutes, hostRoutes } from './hosts.js';
import { invitationRoutes, memberRoutes } from './members.js';
import { adminClusterRoutes, adminRoutes, planRoutes } from './platform.js';
import { clusterPolicyRoutes, environmentRoutes, stackRoutes } from './stacks.js';
import { statsRoutes } from './stats.js';
import { tenantRoutes } from './tenants.js';

export { apiTokenRoutes, auditRoutes, registryRoutes } from './access.js';
export { appRoutes, deploymentRoutes, variableRoutes } from './apps.js';
export { authRoutes } from './auth.js';
export { buildRoutes, gitConnectionRoutes, hookRoutes, sourceRoutes } from './builds.js';
export { cloudAccountRoutes } from './clouds.js';
export { clusterRoutes, providerCatalogRoutes } from './clusters.js';
export { brokerRoutes, hostRoutes, installRoutes } from './hosts.js';
export { invitationRoutes, memberRoutes } from './members.js';
export { adminClusterRoutes, adminRoutes, planRoutes } from './platform.js';
export { clusterPolicyRoutes, environmentRoutes, stackRoutes } from './stacks.js';
export { statsRoutes } from './stats.js';
export { tenantRoutes } from './tenants.js';

/** Every route of the public API. The OpenAPI document, the role matrix and the isolation tests walk this. */
export const ROUTES: readonly RouteContract[] = [
  ...Object.values(authRoutes),
  ...Object.values(tenantRoutes),
  ...Object.values(memberRoutes),
  ...Object.values(invitationRoutes),
  ...Object.values(apiTokenRoutes),
  ...Object.values(registryRoutes),
  ...Object.values(cloudAccountRoutes),
  ...Object.values(providerCatalogRoutes),
  ...Object.values(auditRoutes),
  ...Object.values(clusterRoutes),
  ...Object.values(hostRoutes),
  ...Object.values(brokerRoutes),
  ...Object.values(appRoutes),
  ...Object.values(variableRoutes),
  ...Object.values(deploymentRoutes),
  ...Object.values(statsRoutes),
  ...Object.values(stackRoutes),
  ...Object.values(environmentRoutes),
  ...Object.values(clusterPolicyRoutes),
  ...Object.values(sourceRoutes),
  ...Object.values(buildRoutes),
  ...Object.values(gitConnectionRoutes),
  ...Object.values(hookRoutes),
  ...Object.values(adminRoutes),
  ...Object.values(adminClusterRoutes),
  ...Object.values(planRoutes),
];
