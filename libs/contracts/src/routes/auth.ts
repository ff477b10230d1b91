import { defineRoute } from '../route.js';
import * as s from '../schemas.js';
import { V1 } from './paths.js';

export const authRoutes = {
  signup: defineRoute({
    id: 'auth.signup',
    method: 'POST',
    path: `${V1}/auth/signup`,
    tag: 'auth',
    auth: 'public',
    summary: 'Create an account and its personal tenant on the free plan',
    body: s.SignupBody,
    response: s.SignupResult,
    status: 201,
  }),
  login: defineRoute({
    id: 'auth.login',
    method: 'POST',
    path: `${V1}/auth/login`,
    tag: 'auth',
    auth: 'public',
    summary: 'Exchange email and password for an access token and a refresh token',
    body: s.LoginBody,
    response: s.Session,
    status: 200,
  }),
  refresh: defineRoute({
    id: 'auth.refresh',
    method: 'POST',
    path: `${V1}/auth/refresh`,
    tag: 'auth',
    auth: 'public',
    summary: 'Rotate a refresh token (body or cookie); reusing a rotated one revokes its whole family',
    body: s.RefreshBody,
    response: s.Session,
    status: 200,
  }),
  logout: defineRoute({
    id: 'auth.logout',
    method: 'POST',
    path: `${V1}/auth/logout`,
    tag: 'auth',
    auth: 'user',
    summary: 'Revoke the current session (its refresh token family and access tokens)',
    body: s.LogoutBody,
    status: 204,
  }),
  me: defineRoute({
    id: 'auth.me',
    method: 'GET',
    path: `${V1}/me`,
    tag: 'auth',
    auth: 'user',
    summary: 'The signed-in user and the tenants they belong to',
    response: s.Me,
    status: 200,
  }),
};
