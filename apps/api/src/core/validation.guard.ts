import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type FieldError, type RouteContract, ValidationError } from '@wharf/contracts';
import type { z } from 'zod';
import { ROUTE_KEY } from './endpoint.decorator.js';
import { stateOf, type WharfRequest } from './request-state.js';

/** The figures of a size or length issue, so that a client can word it in its own language. */
function paramsOf(i: z.core.$ZodIssue): FieldError['params'] {
  if (i.code === 'too_small') return { origin: i.origin, minimum: Number(i.minimum) };
  if (i.code === 'too_big') return { origin: i.origin, maximum: Number(i.maximum) };
  return undefined;
}

function issues(where: string, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((i): FieldError[] => {
    const path = [where, ...i.path.map(String)].join('.');
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({ path: `${path}.${key}`, message: 'unknown field', code: 'unknown_field' }));
    }
    const params = paramsOf(i);
    return [{ path, message: i.message, code: i.code, ...(params ? { params } : {}) }];
  });
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
}

/** Parses params, query and body with the route's schemas before anything runs; refuses with every problem at once. */
export function parseInput(route: RouteContract, req: { params: unknown; query: unknown; body: unknown }) {
  const errors: FieldError[] = [];
  const parse = (where: string, schema: z.ZodType | undefined, value: unknown): unknown => {
    if (!schema) {
      if (!isEmpty(value)) errors.push({ path: where, message: `this endpoint takes no ${where}`, code: 'unexpected' });
      return where === 'body' ? undefined : {};
    }
    const result = schema.safeParse(where === 'body' ? value : (value ?? {}));
    if (result.success) return result.data;
    if (where === 'body' && value === undefined) {
      errors.push({ path: 'body', message: 'a JSON body is required', code: 'required' });
    } else {
      errors.push(...issues(where, result.error));
    }
    return undefined;
  };
  const params = parse('params', route.params, req.params) as Record<string, unknown>;
  const query = parse('query', route.query, req.query) as Record<string, unknown>;
  const body = route.raw ? undefined : parse('body', route.body, req.body);
  if (errors.length) throw new ValidationError(errors);
  return { params, query, body };
}

@Injectable()
export class ValidationGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const route = this.reflector.get<RouteContract | undefined>(ROUTE_KEY, ctx.getHandler());
    if (!route) return true;
    const req = ctx.switchToHttp().getRequest<WharfRequest>();
    const state = stateOf(req);
    state.route = route;
    state.input = parseInput(route, req);
    return true;
  }
}
