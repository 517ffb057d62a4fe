/** The middleware stack's answer to a request that runs out of time (a dependency hanging past every client timeout). */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { expect, it } from 'vitest';
import { httpHandlerWith, TIMEOUT_MARGIN_MS } from '../../../functions/common/http';

it('answers 503 with Retry-After, not an error the gateway turns into a 500, when the function is about to time out', async () => {
  const never = new Promise<never>(() => {});
  // The operation exists, but the runtime it needs never comes: the request hangs.
  const handler = httpHandlerWith(() => never, 'public', { health: async () => ({ body: {} }) } as never);
  const event = {
    routeKey: 'GET /health',
    rawPath: '/health',
    headers: {},
    requestContext: { http: { method: 'GET', path: '/health' } },
  } as unknown as APIGatewayProxyEventV2;
  const context = { getRemainingTimeInMillis: () => TIMEOUT_MARGIN_MS + 1 } as unknown as Context;

  const res = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;

  expect(res.statusCode).toBe(503);
  expect(res.headers?.['retry-after']).toMatch(/^\d+$/);
  expect(JSON.parse(res.body as string)).toMatchObject({ error: { code: 'DEPENDENCY_UNAVAILABLE' } });
});
