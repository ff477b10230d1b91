import { z } from 'zod';
import { PROBLEM_BASE } from './problem.js';
import type { RouteContract } from './route.js';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(route: RouteContract): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
    }
  }
  return out;
}

const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: `${PROBLEM_BASE}<kind>` },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
      },
    },
    limit: { type: 'integer' },
    used: { type: 'integer' },
    requested: { type: 'integer' },
  },
};

/** The OpenAPI 3.1 document of the API, generated from the same schemas that validate requests. */
export function buildOpenApi(routes: readonly RouteContract[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const problem = (description: string) => ({
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    const responses: Record<string, JsonSchema> = {
      [route.status]: route.response
        ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
        : { description: 'No content' },
      '400': problem('Invalid input'),
    };
    if (route.auth !== 'public') responses['401'] = problem('Missing or invalid credentials');
    if (route.auth === 'tenant' || route.auth === 'admin')
      responses['403'] = problem('Role too low, quota exceeded or tenant suspended');
    if (route.params) responses['404'] = problem('Not found, or not yours');
    const op: JsonSchema = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      parameters: parameters(route),
      responses,
      'x-wharf-auth': route.auth,
      ...(route.permission ? { 'x-wharf-permission': route.permission } : {}),
      ...(route.auth === 'public' ? { security: [] } : {}),
    };
    if (route.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Wharf API', version: info.version },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An access token from login, or a `wharf_` API token' },
      },
      schemas: { Problem: problemSchema },
    },
  };
}
