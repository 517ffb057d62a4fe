/** GET /openapi.json: the API described from the same route table the handlers use. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openApiDocument } from '../../shared/http/openapi';

let body: string | undefined;

/** Where the document is served from: API Gateway says https in X-Forwarded-Proto, the local gateway http. */
export function serverUrl(event: APIGatewayProxyEventV2): string | undefined {
  const host = event.requestContext?.domainName;
  if (!host) return undefined;
  const proto = event.headers?.['x-forwarded-proto']?.split(',')[0]?.trim() === 'http' ? 'http' : 'https';
  return `${proto}://${host}`;
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  body ??= JSON.stringify(openApiDocument(serverUrl(event)));
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=300' }, body };
}
