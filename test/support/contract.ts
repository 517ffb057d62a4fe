/**
 * The API contract, checked on every response the end-to-end tests receive: the response's
 * status must be one the OpenAPI document lists for the route's operation, and its JSON body must
 * validate against the schema the document gives for that status. So every end-to-end test is
 * also a contract test of the operations it calls (test/support/stack.ts wires it into `api`).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createRouter } from '../../local/gateway';
import { openApiDocument } from '../../shared/http/openapi';
import { ROUTES } from '../../shared/http/routes';

type JsonObject = Record<string, unknown>;

// ajv-formats is CommonJS: its default export is the function, under `default` once more when imported from ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export interface ContractViolation {
  operation: string;
  status: number;
  message: string;
}

/** Points `#/components/schemas/X` at the components, added to ajv as one schema of their own. */
function relink(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(relink);
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
          ? `${COMPONENTS_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`
          : relink(v),
      ]),
    );
  }
  return schema;
}

const COMPONENTS_ID = 'urn:xinfang:openapi:components';

export function contractChecker(document: JsonObject = openApiDocument()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const components = ((document.components as JsonObject | undefined)?.schemas ?? {}) as Record<string, unknown>;
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: relink(components) as JsonObject });
  const paths = document.paths as Record<
    string,
    Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  const route = createRouter(ROUTES);
  const compiled = new Map<string, ValidateFunction>();

  /** The violation of the contract by this response, or undefined (also for paths outside the API: the web app, the token issuer). */
  return (method: string, url: string, status: number, body: unknown, isJson: boolean): ContractViolation | undefined => {
    const match = route(method, new URL(url).pathname);
    if (!match) return undefined;
    const op = paths[match.route.path]?.[method.toLowerCase()];
    if (!op) return { operation: match.route.id, status, message: 'the operation is missing from the OpenAPI document' };
    const response = op.responses[String(status)];
    if (!response)
      return { operation: op.operationId, status, message: `status ${status} is not among the documented ${Object.keys(op.responses).join(', ')}` };
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return undefined;
    if (!isJson) return { operation: op.operationId, status, message: 'the documented JSON body is missing' };
    const key = `${op.operationId} ${status}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(relink(schema) as JsonObject);
      compiled.set(key, validate);
    }
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return { operation: op.operationId, status, message: `the body does not match the documented schema: ${errors.join('; ')}` };
  };
}
