/**
 * The OpenAPI 3.1 document, generated from the route table and the route schemas (zod's own
 * JSON Schema output; OpenAPI 3.1 schemas are JSON Schema 2020-12). Served at /openapi.json.
 */
import { z } from 'zod';
import { ROUTES } from './routes';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonObject {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

const ERROR = {
  description: 'Error',
  content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, issues: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } } } } } } } } },
};

export function openApiDocument(serverUrl?: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of ROUTES) {
    const s = route;
    const parameters: JsonObject[] = [];
    if (s.params) {
      const props = (schemaOf(s.params).properties ?? {}) as Record<string, JsonObject>;
      for (const [name, schema] of Object.entries(props)) parameters.push({ name, in: 'path', required: true, schema });
    }
    if (s.query) {
      const js = schemaOf(s.query);
      const required = new Set((js.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((js.properties ?? {}) as Record<string, JsonObject>)) {
        parameters.push({ name, in: 'query', required: required.has(name) && !('default' in schema), schema });
      }
    }
    for (const h of s.headers ?? []) {
      parameters.push({ name: h, in: 'header', required: h === 'If-Match', schema: { type: 'string' }, description: h === 'If-Match' ? 'The ETag (version) of the case you read' : 'A unique key per registration; a retry with the same key returns the same case' });
    }
    const op: JsonObject = {
      operationId: route.id.replace(':', '_'),
      summary: route.summary,
      tags: [route.tag],
      parameters,
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': ERROR,
        ...(route.auth ? { '401': ERROR, '403': ERROR } : {}),
        '404': ERROR,
        '409': ERROR,
      },
      ...(route.auth ? { security: [{ bearer: [] }] } : { security: [] }),
    };
    if (s.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(s.body) } } };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonObject>)[route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Xinfang Registry API', version: '1.0.0', description: '信访事项登记系统 — letters-and-visits case registry' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
