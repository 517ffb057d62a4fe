/**
 * The HTTP API, built from the route table (shared/http/routes.ts) that the local gateway also
 * serves: one route per entry, to its function's Lambda integration (payload format 2.0). Routes
 * with `auth: true` go through the JWT authorizer; the handlers verify the token again.
 *
 * The default stage is throttled and writes JSON access logs to a log group with a retention.
 */
import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, routeKey, type HttpFunctionName } from '../../shared/http/routes';
import { suppressGuard } from './guard';
import { acknowledge } from './nag';
import { LOG_RETENTION } from './registry-function';

/** Request headers the SPA sends; ETag is read back for If-Match. */
export const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'];
export const CORS_EXPOSE_HEADERS = ['ETag'];

export interface HttpApiProps {
  functions: Record<HttpFunctionName, lambda.IFunction>;
  issuerUrl: string;
  audience: string;
  webOrigins: string[];
  /** Steady-state requests per second and burst for the whole stage. */
  throttle: { rateLimit: number; burstLimit: number };
  /** The key of the stack's log groups (infra/constructs/keys.ts). */
  logsKey: kms.IKey;
}

export class RegistryHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Xinfang registry HTTP API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.webOrigins,
        allowMethods: [
          apigw.CorsHttpMethod.GET,
          apigw.CorsHttpMethod.POST,
          apigw.CorsHttpMethod.PUT,
          apigw.CorsHttpMethod.DELETE,
          apigw.CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION, encryptionKey: props.logsKey });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // No headers, no body, no query string: tokens and personal data stay out of the logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            user: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', props.issuerUrl, {
      jwtAudience: [props.audience],
      identitySource: ['$request.header.Authorization'],
    });

    // One integration (and one invoke permission) per function, shared by its routes.
    const integrations = new Map<HttpFunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: HttpFunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${name}-integration`, props.functions[name], {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
          scopePermissionToRoute: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of ROUTES) {
      const httpRoute = new apigw.HttpRoute(this, `Route-${route.id.replace(/[^A-Za-z0-9-]/g, '-')}`, {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        integration: integrationFor(route.function),
        authorizer: route.auth ? this.authorizer : new apigw.HttpNoneAuthorizer(),
      });
      if (!route.auth) {
        acknowledge(
          httpRoute,
          'AwsSolutions-APIG4',
          `${routeKey(route)} is public by design (the OpenAPI document; the petitioner's query by case number + query code, which the handler checks; or the letter check by case number + the hash printed on the letter); every other route requires a Cognito JWT.`,
        );
        suppressGuard(
          httpRoute,
          'api_gw_v2_authorization_type_configured_check',
          `${routeKey(route)} is public by design (health, the OpenAPI document and vocabulary; the petitioner's query, download and rating by case number + query code, which the handler checks; or the letter check by case number + the hash printed on the letter); every other route requires a Cognito JWT.`,
        );
      }
    }
  }

  get url(): string {
    // The $default stage is served at the API's root.
    return this.stage.url;
  }
}
