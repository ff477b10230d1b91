import type { Probe, World } from './fixtures.js';
import { COMPOSE_FILE, exists, tag } from './workload-fixtures.js';

/* The probes of the stack, environment and cluster-policy routes (part of TENANT_REQUESTS). */

export const STACK_REQUESTS: Record<string, (w: World, tenant: string) => Probe> = {
  'stack.get': (w, tenant) => ({ params: { tenant, app: w.composeApp.id } }),
  'stack.save': (w, tenant) => {
    const mark = `saved ${tag()}`;
    return {
      params: { tenant, app: w.composeApp.id },
      body: { yaml: `# ${mark}\n${COMPOSE_FILE}` },
      changed: (db) => exists(db, 'select 1 from apps where id = $1 and compose like $2', [w.composeApp.id, `%${mark}%`]),
    };
  },
  'stack.validate': (w, tenant) => ({ params: { tenant, app: w.composeApp.id }, body: { yaml: COMPOSE_FILE } }),
  'environments.list': (w, tenant) => ({ params: { tenant, app: w.composeApp.id }, query: { limit: 10 } }),
  'environments.create': (w, tenant) => {
    const name = `qa-${tag()}`;
    return {
      params: { tenant, app: w.composeApp.id },
      body: { name },
      changed: (db) => exists(db, 'select 1 from app_environments where app_id = $1 and name = $2', [w.composeApp.id, name]),
    };
  },
  'environments.get': (w, tenant) => ({ params: { tenant, app: w.composeApp.id, environment: w.composeApp.environment } }),
  'environments.bindings': (w, tenant) => {
    const name = `db-${tag()}`;
    return {
      params: { tenant, app: w.composeApp.id, environment: w.composeApp.environment },
      body: { bindings: { [name]: { kind: 'address', host: 'db.example.test', port: 5432 } } },
      changed: (db) =>
        exists(db, 'select 1 from app_environments where app_id = $1 and name = $2 and bindings ? $3', [
          w.composeApp.id,
          w.composeApp.environment,
          name,
        ]),
    };
  },
  'environments.delete': (w, tenant) => ({
    params: { tenant, app: w.composeApp.id, environment: w.composeApp.environment },
    changed: async (db) =>
      !(await exists(db, 'select 1 from app_environments where app_id = $1 and name = $2', [
        w.composeApp.id,
        w.composeApp.environment,
      ])),
  }),
  'environments.diff': (w, tenant) => ({ params: { tenant, app: w.composeApp.id, environment: 'production' } }),
  'clusters.policy': (w, tenant) => ({
    params: { tenant, cluster: w.dedicatedCluster.id },
    body: { relaxed: ['cap-add'] },
    changed: (db) =>
      exists(db, `select 1 from clusters where id = $1 and 'cap-add' = any(policy_relaxed)`, [w.dedicatedCluster.id]),
  }),
};
