import * as p from '../params.js';
import { defineRoute } from '../route.js';
import * as st from '../stats.js';
import { T } from './paths.js';

export const statsRoutes = {
  app: defineRoute({
    id: 'apps.stats',
    method: 'GET',
    path: `${T}/apps/{app}/stats`,
    tag: 'apps',
    auth: 'tenant',
    permission: 'apps.read',
    summary: "CPU and memory of the app's services over time (at most 120 points per service, the last 24 hours)",
    params: p.AppParams,
    query: st.AppStatsQuery,
    response: st.AppStats,
    status: 200,
  }),
};
