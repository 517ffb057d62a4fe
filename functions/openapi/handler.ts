/** GET /openapi.json: the API described from the same route table and schemas the handlers use. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openApiDocument } from '../../shared/http/openapi';

let body: string | undefined;

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  body ??= JSON.stringify(openApiDocument(event.requestContext?.domainName ? `https://${event.requestContext.domainName}` : undefined));
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=300' }, body };
}
