import * as a from '../apps.js';
import { ListQuery, page } from '../common.js';
import * as p from '../params.js';
import { defineRoute } from '../route.js';
import * as st from '../stacks.js';
import { T } from './paths.js';

const APP = `${T}/apps/{app}`;
const ENV = `${APP}/environments/{environment}`;

export const stackRoutes = {
  get: defineRoute({
    id: 'stack.get',
    method: 'GET',
    path: `${APP}/stack`,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.read',
    summary: "A compose app's stack: its YAML, the same as a form, its dependency graph and warnings",
    params: p.AppParams,
    response: st.StackView,
    status: 200,
  }),
  save: defineRoute({
    id: 'stack.save',
    method: 'PUT',
    path: `${APP}/stack`,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.write',
    summary:
      'Save the stack from YAML, or from the form (written into the YAML, keeping comments and formatting); refused with every problem at its line',
    params: p.AppParams,
    body: st.SaveStackBody,
    response: st.StackView,
    status: 200,
  }),
  validate: defineRoute({
    id: 'stack.validate',
    method: 'POST',
    path: `${APP}/stack/validate`,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.read',
    summary: "Check a compose file against the compose specification and the cluster's policy, without saving",
    params: p.AppParams,
    body: st.ValidateStackBody,
    response: st.ValidateStackResult,
    status: 200,
    mutates: false,
  }),
};

export const environmentRoutes = {
  list: defineRoute({
    id: 'environments.list',
    method: 'GET',
    path: `${APP}/environments`,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.read',
    summary: "The app's environments with their bindings, status and held quota",
    params: p.AppParams,
    query: ListQuery,
    response: page(st.Environment),
    status: 200,
  }),
  create: defineRoute({
    id: 'environments.create',
    method: 'POST',
    path: `${APP}/environments`,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.write',
    summary: 'Add an environment (its own variables, secrets and bindings; deploy to it to run it)',
    params: p.AppParams,
    body: st.CreateEnvironmentBody,
    response: st.Environment,
    status: 201,
  }),
  get: defineRoute({
    id: 'environments.get',
    method: 'GET',
    path: ENV,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.read',
    summary: 'One environment',
    params: a.EnvironmentParams,
    response: st.Environment,
    status: 200,
  }),
  setBindings: defineRoute({
    id: 'environments.bindings',
    method: 'PUT',
    path: `${ENV}/bindings`,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.write',
    summary: 'Bind the external names the stack needs (to a host:port, a URL, or a service of another app); next deployment',
    params: a.EnvironmentParams,
    body: st.SetBindingsBody,
    response: st.Environment,
    status: 200,
  }),
  remove: defineRoute({
    id: 'environments.delete',
    method: 'DELETE',
    path: ENV,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.write',
    summary: 'Delete an environment (not production): its engine objects are removed and its quota released',
    params: a.EnvironmentParams,
    status: 204,
  }),
  diff: defineRoute({
    id: 'environments.diff',
    method: 'GET',
    path: `${ENV}/diff`,
    tag: 'stacks',
    auth: 'tenant',
    permission: 'apps.read',
    summary: 'What deploying the app now would add, change and remove in the environment',
    params: a.EnvironmentParams,
    response: st.StackDiff,
    status: 200,
  }),
};

export const clusterPolicyRoutes = {
  set: defineRoute({
    id: 'clusters.policy',
    method: 'PUT',
    path: `${T}/clusters/{cluster}/policy`,
    tag: 'clusters',
    auth: 'tenant',
    permission: 'clusters.policy',
    summary: "Relax named compose policy rules on one of the tenant's dedicated clusters (owners; audited)",
    params: st.ClusterParams,
    body: st.ClusterPolicyBody,
    response: a.Cluster,
    status: 200,
  }),
};
