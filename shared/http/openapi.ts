/**
 * The OpenAPI 3.1 document, generated from the route table: each route's request schemas, its
 * success responses (shared/http/responses.ts), the refusals it can answer, and the roles that
 * may call it (zod's own JSON Schema output; OpenAPI 3.1 schemas are JSON Schema 2020-12).
 * Served at /openapi.json; the end-to-end tests check every response against it.
 */
import { z } from 'zod';
import type { RouteDefinition } from './route';
import { ROUTES } from './routes';
import { ErrorResponse, GatewayErrorResponse } from './responses';

type JsonObject = Record<string, unknown>;

/**
 * Shared sub-schemas: zod puts a schema used twice under `$defs` with `#/$defs/…` references, which
 * in an OpenAPI document would point at the document's root. Each is moved to
 * components.schemas under a name of its own and the references rewritten.
 */
let components: Record<string, unknown> = {};

function rewriteRefs(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, names));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && names.has(v) ? `#/components/schemas/${names.get(v)}` : rewriteRefs(v, names),
      ]),
    );
  }
  return value;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonObject {
  const { $schema: _s, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  if (!$defs) return rest;
  const names = new Map(
    Object.keys($defs as JsonObject).map((k) => [`#/$defs/${k}`, `Shared${Object.keys(components).length}_${k.replace(/[^A-Za-z0-9_.-]/g, '')}`]),
  );
  for (const [k, def] of Object.entries($defs as JsonObject)) components[names.get(`#/$defs/${k}`) as string] = rewriteRefs(def, names);
  return rewriteRefs(rest, names) as JsonObject;
}

const json = (description: string, schema: JsonObject) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(description, { $ref: '#/components/schemas/Error' });

/**
 * The statuses a route can answer besides its successes, and why. Derived from what the route
 * takes (middleware: functions/common/http.ts; error map: shared/http/errors.ts; gateway limits).
 */
export function refusalsOf(route: RouteDefinition): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  const takesInput = Boolean(route.params || route.query || route.body || route.headers);
  const writes = route.method !== 'GET';
  if (route.function !== 'openapi')
    out['400'] = error(
      takesInput
        ? 'A path parameter, query parameter, header or body field is invalid (each named in `issues`), or the body is not JSON in UTF-8'
        : 'The body is not JSON in UTF-8',
    );
  if (route.auth) {
    out['401'] = error('No token, or one that is invalid or expired');
    out['403'] = error(`The caller's roles do not allow this (allowed: ${route.roles.join(', ')})`);
  }
  if (route.params || route.body || route.namesCases)
    out['404'] = error('No such case, document, package or supervision — or one the caller may not see (never 403, so existence does not leak)');
  if (writes || route.id === 'downloadDocument')
    out['409'] = error(
      'The case changed since you read it (stale If-Match), or the action is not possible in its current state (the reason in `message`, the facts in `details`)',
    );
  if (route.body) out['413'] = json('The body is larger than the API accepts', schemaOf(GatewayErrorResponse));
  if (route.headers?.includes('Idempotency-Key')) out['422'] = error('This Idempotency-Key was used for a different request');
  if (route.headers?.includes('If-Match'))
    out['428'] = error('If-Match is required: send the ETag (version) of what you read (the case, the settings, the template)');
  if (route.limited)
    out['429'] = error('Too many requests of this kind for now (a limit per case, client, number or day; the message in Chinese); retry after Retry-After');
  out['500'] = error('Internal error (a fixed message; the detail is only logged)');
  if (route.function !== 'openapi')
    out['503'] = error('A dependency (sign-in, the table, a bucket) is unavailable for the moment; try again after Retry-After');
  return out;
}

function operationOf(route: RouteDefinition): JsonObject {
  const parameters: JsonObject[] = [];
  if (route.params) {
    const props = (schemaOf(route.params).properties ?? {}) as Record<string, JsonObject>;
    for (const [name, schema] of Object.entries(props)) parameters.push({ name, in: 'path', required: true, schema });
  }
  if (route.query) {
    const js = schemaOf(route.query);
    const required = new Set((js.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((js.properties ?? {}) as Record<string, JsonObject>)) {
      parameters.push({ name, in: 'query', required: required.has(name) && !('default' in schema), schema });
    }
  }
  for (const h of route.headers ?? []) {
    parameters.push({
      name: h,
      in: 'header',
      required: h === 'If-Match',
      schema: { type: 'string' },
      description:
        h === 'If-Match'
          ? 'The ETag (version) of what you read: the case, the settings, the template'
          : 'A unique key per registration; a retry with the same key returns the same case',
    });
  }
  const successes = Object.fromEntries(
    Object.entries(route.responses).map(([status, schema]) => [
      status,
      json(
        status === '201'
          ? 'Created'
          : status === '503'
            ? 'Unavailable'
            : route.id === 'registerCase'
              ? 'The registration this Idempotency-Key already made (Idempotent-Replayed: true)'
              : 'OK',
        schemaOf(schema as z.ZodType),
      ),
    ]),
  );
  const roles = route.auth ? `\n\nRoles: ${route.roles.join(', ')}.` : '\n\nPublic: no token.';
  const op: JsonObject = {
    operationId: route.id.replace(':', '_'),
    summary: route.summary,
    description: `${route.summary}${roles}`,
    tags: [route.tag],
    parameters,
    responses: { ...refusalsOf(route), ...successes },
    'x-roles': [...route.roles],
    security: route.auth ? [{ bearer: [] }] : [],
  };
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body) } } };
  return op;
}

/** The document; `serverUrl` is where it is served from (https in AWS, http locally). */
export function openApiDocument(serverUrl?: string): JsonObject {
  components = {};
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonObject>)[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Xinfang Registry API', version: '1.0.0', description: '信访事项登记系统 — letters-and-visits case registry' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: schemaOf(ErrorResponse), ...components },
    },
    paths,
  };
}
