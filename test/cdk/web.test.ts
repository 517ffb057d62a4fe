/**
 * The web application in AWS (infra/constructs/web.ts): a private bucket read only by CloudFront
 * through Origin Access Control, the distribution's caching and security headers, the build and
 * the generated config.json deployed into it, and the Cognito client and domain it signs in with.
 *
 * The stack is synthesized with a tiny stand-in for web/dist (support.ts), not a Vite build. The
 * functions are staged unbundled (only the web part matters).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDomainPrefix } from '../../infra/constructs/identity';
import { checkTemplates } from '../../infra/control-tower';
import { IMMUTABLE_CACHE_CONTROL, REVALIDATE_CACHE_CONTROL } from '../../infra/constructs/web';
import { createRegistryStack, TOKEN_FUNCTIONS, type RegistryStack } from '../../infra/stack';
import { ENV } from '../../shared/config/env';
import { ALL_FUNCTIONS } from '../../shared/http/routes';
import type { WebConfig } from '../../shared/http/web-config';
import { fakeWebDist, logicalId, SYNTH_TIMEOUT_MS, synthesize, TEST_ORIGIN, unbundledApp, type Json, type Synthesized } from './support';

let s: Synthesized;
let resources: Record<string, Json>;
const idOf = (c: { node: { defaultChild?: unknown } }): string => logicalId(c.node.defaultChild as CfnResource);
const propsOf = (c: { node: { defaultChild?: unknown } }): Json => (resources[idOf(c)] as Json).Properties as Json;
const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);

/** A CloudFormation value as readable text: Fn::Join flattened, Ref → <Id>, Fn::GetAtt → <Id.Attr>. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Json;
  if (v.Ref) return `<${v.Ref as string}>`;
  if (v['Fn::GetAtt']) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (v['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(sep);
  }
  return JSON.stringify(value);
}

/** The directives of a Content-Security-Policy: name → sources. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

function cspOf(template: Json): string {
  const [, policy] = Object.entries(template.Resources as Record<string, Json>).find(([, r]) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy') as [
    string,
    Json,
  ];
  const config = (policy.Properties as Json).ResponseHeadersPolicyConfig as Json;
  return text(((config.SecurityHeadersConfig as Json).ContentSecurityPolicy as Json).ContentSecurityPolicy);
}

const deployments = (): Json[] => ofType('Custom::CDKBucketDeployment').map(([, r]) => r.Properties as Json);
const siteDeployment = (): Json => deployments().find((d) => d.Prune === true) as Json;
const assetsDeployment = (): Json => deployments().find((d) => d.DestinationBucketKeyPrefix === 'assets/') as Json;

beforeAll(() => {
  s = synthesize();
  resources = s.template.toJSON().Resources as Record<string, Json>;
}, SYNTH_TIMEOUT_MS);

describe('the site bucket', () => {
  it('is private, encrypted, TLS only, without website hosting, and logs its access', () => {
    const bucket = propsOf(s.stack.web.bucket);
    expect(bucket).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: idOf(s.stack.documents.accessLogs) } },
    });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
  });

  it('is readable by this distribution only, through Origin Access Control (no OAI, no public grant)', () => {
    const bucketId = idOf(s.stack.web.bucket);
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => ((p.Properties as Json).Bucket as Json).Ref === bucketId) as [string, Json];
    const statements = ((policy.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement;
    const allows = statements.filter((st) => st.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      },
    ]);
    const sourceArn = text(((allows[0]?.Condition as Json).StringEquals as Json)['AWS:SourceArn']);
    expect(sourceArn).toBe(`arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${idOf(s.stack.web.distribution)}>`);
    // TLS only: the enforceSSL deny.
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));

    expect(ofType('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
    const oac = ofType('AWS::CloudFront::OriginAccessControl');
    expect(oac).toHaveLength(1);
    expect((oac[0]?.[1].Properties as Json).OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const origins = (propsOf(s.stack.web.distribution).DistributionConfig as Json).Origins as Json[];
    expect(origins).toEqual([
      expect.objectContaining({
        DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [oac[0]?.[0], 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    ]);
  });
});

describe('the distribution', () => {
  it('serves index.html at the root, over HTTPS only, and logs requests', () => {
    const config = propsOf(s.stack.web.distribution).DistributionConfig as Json;
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      Enabled: true,
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true },
      Logging: { Bucket: { 'Fn::GetAtt': [idOf(s.stack.web.logBucket), 'RegionalDomainName'] } },
    });
    for (const behavior of config.CacheBehaviors as Json[]) expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    // Without a custom domain: the default certificate (nothing to set).
    expect(config.Aliases).toBeUndefined();
  });

  it('caches assets/* for a year and revalidates index.html and config.json', () => {
    const config = propsOf(s.stack.web.distribution).DistributionConfig as Json;
    const assets = (config.CacheBehaviors as Json[]).find((b) => b.PathPattern === 'assets/*') as Json;
    // AWS's managed CachingOptimized policy.
    expect(assets.CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
    const defaultPolicyId = ((config.DefaultCacheBehavior as Json).CachePolicyId as Json).Ref as string;
    expect(((resources[defaultPolicyId] as Json).Properties as Json).CachePolicyConfig).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
    expect(assetsDeployment().SystemMetadata).toEqual({ 'cache-control': IMMUTABLE_CACHE_CONTROL });
    expect(siteDeployment().SystemMetadata).toEqual({ 'cache-control': REVALIDATE_CACHE_CONTROL });
  });

  it('sends the security headers on every response', () => {
    const config = propsOf(s.stack.web.distribution).DistributionConfig as Json;
    const policyRef = { Ref: idOf(s.stack.web.responseHeaders) };
    expect((config.DefaultCacheBehavior as Json).ResponseHeadersPolicyId).toEqual(policyRef);
    for (const behavior of config.CacheBehaviors as Json[]) expect(behavior.ResponseHeadersPolicyId).toEqual(policyRef);
    const headers = (propsOf(s.stack.web.responseHeaders).ResponseHeadersPolicyConfig as Json).SecurityHeadersConfig as Json;
    expect(headers).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'same-origin', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
    });
  });

  it('has a Content-Security-Policy that allows the API, the buckets, the sign-in domain and what the PDF viewer needs', () => {
    const csp = directives(cspOf(s.template.toJSON() as Json));
    const domainId = idOf(s.stack.identity.domain);
    const signIn = `https://<${domainId}>.auth.<AWS::Region>.amazoncognito.com`;
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp['connect-src']).toEqual([
      "'self'",
      'https://*.execute-api.<AWS::Region>.<AWS::URLSuffix>',
      'https://*.s3.<AWS::Region>.<AWS::URLSuffix>',
      signIn,
    ]);
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://*.s3.<AWS::Region>.<AWS::URLSuffix>']);
    expect(csp['frame-src']).toEqual(["'self'", 'blob:', 'https://*.s3.<AWS::Region>.<AWS::URLSuffix>']);
    expect(csp['worker-src']).toEqual(["'self'", 'blob:']);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'self'"]);
  });
});

describe('the deployment of the build', () => {
  it('uploads assets/ first without pruning, then the rest with config.json, and invalidates the distribution', () => {
    const assets = assetsDeployment();
    const site = siteDeployment();
    expect(assets).toMatchObject({ DestinationBucketName: { Ref: idOf(s.stack.web.bucket) }, Prune: false });
    expect(site).toMatchObject({
      DestinationBucketName: { Ref: idOf(s.stack.web.bucket) },
      Prune: true,
      Exclude: ['assets/*'],
      DistributionId: { Ref: idOf(s.stack.web.distribution) },
      DistributionPaths: expect.arrayContaining(['/index.html', '/config.json']),
    });
    expect(site.DestinationBucketKeyPrefix).toBeUndefined();
    const idOfProps = (props: Json): string | undefined => Object.entries(resources).find(([, r]) => r.Properties === props)?.[0];
    const siteId = idOfProps(site) as string;
    const assetsId = idOfProps(assets);
    expect((resources[siteId] as Json).DependsOn).toEqual(expect.arrayContaining([assetsId]));
  });

  it('writes a config.json with the API endpoint, the Cognito client and domain, and the web address', () => {
    const site = siteDeployment();
    const keys = site.SourceObjectKeys as string[];
    const markers = site.SourceMarkers as Json[];
    const index = markers.findIndex((m) => Object.keys(m).length > 0);
    expect(index).toBeGreaterThanOrEqual(0);
    // The staged asset of Source.jsonData: config.json with markers the deployment replaces.
    const staged = path.join(s.app.outdir, `asset.${(keys[index] as string).replace(/\.zip$/, '')}`, 'config.json');
    const raw = readFileSync(staged, 'utf8');
    const resolved = raw.replace(/<<marker:0xbaba:\d+>>/g, (m) => text(markers[index]?.[m]));
    const config = JSON.parse(resolved) as WebConfig;
    expect(config).toEqual({
      apiUrl: `<${idOf(s.stack.httpApi.api)}.ApiEndpoint>`,
      auth: {
        kind: 'cognito',
        domain: `https://<${idOf(s.stack.identity.domain)}>.auth.<AWS::Region>.amazoncognito.com`,
        clientId: `<${idOf(s.stack.identity.client)}>`,
        redirectUri: `https://<${idOf(s.stack.web.distribution)}.DomainName>/`,
      },
      environment: 'RegistryTest',
    });
  });

  it('is done by a handler whose findings are acknowledged (nag clean for the web app and identity)', () => {
    const report = new AwsSolutionsChecks().validateScope(s.stack);
    const ours = report.violations.filter((v) => v.violatingResources.some((r) => /\/(Web|Identity)\/|CDKBucketDeployment/.test(r.constructPath ?? '')));
    expect(ours.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('sign-in', () => {
  it('has one web client: authorization code (PKCE, no secret), the openid/profile/email scopes, the web address as callback and sign-out URL', () => {
    expect(ofType('AWS::Cognito::UserPoolClient')).toHaveLength(1);
    const webUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(s.stack.web.distribution), 'DomainName'] }, '/']] };
    expect(propsOf(s.stack.identity.client)).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'profile', 'email'],
      CallbackURLs: [webUrl],
      LogoutURLs: [webUrl],
      SupportedIdentityProviders: ['COGNITO'],
    });
    // openid puts the readable attributes into the ID token: the department and the name.
    expect(propsOf(s.stack.identity.client).ReadAttributes).toEqual(expect.arrayContaining(['custom:deptCode', 'name']));
  });

  it('has a Cognito domain with managed login, styled for the client', () => {
    expect(propsOf(s.stack.identity.domain)).toMatchObject({
      ManagedLoginVersion: 2,
      UserPoolId: { Ref: idOf(s.stack.identity.userPool) },
      Domain: { 'Fn::Join': ['', ['registry-test-', { Ref: 'AWS::AccountId' }]] },
    });
    const branding = ofType('AWS::Cognito::ManagedLoginBranding');
    expect(branding).toHaveLength(1);
    expect(branding[0]?.[1].Properties).toMatchObject({ ClientId: { Ref: idOf(s.stack.identity.client) }, UseCognitoProvidedValues: true });
  });

  it('refuses a Cognito domain prefix Cognito would refuse', () => {
    expect(validateDomainPrefix('xf-registry-2')).toBe('xf-registry-2');
    for (const bad of ['XF', 'xf_registry', '-xf', 'xf-', 'my-aws-registry', 'amazonxf', 'cognito1', 'x'.repeat(64)]) {
      expect(() => validateDomainPrefix(bad), bad).toThrow(/authDomainPrefix/);
    }
  });

  it("makes the API accept this client's ID tokens: the authorizer and every function that verifies a token expect it as the audience", () => {
    const clientRef = { Ref: idOf(s.stack.identity.client) };
    const [, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer')[0] as [string, Json];
    expect(((authorizer.Properties as Json).JwtConfiguration as Json).Audience).toEqual([clientRef]);
    expect(TOKEN_FUNCTIONS.length).toBeGreaterThan(0);
    for (const name of ALL_FUNCTIONS) {
      const env = (propsOf(s.stack.functions[name].fn).Environment as { Variables: Json }).Variables;
      // Functions serving no authenticated route (public, the event functions) build no verifier.
      expect(env[ENV.authAudience], name).toEqual(TOKEN_FUNCTIONS.includes(name) ? clientRef : undefined);
    }
  });
});

it('lets the web app call the API and the documents bucket (CORS), besides the configured origins', () => {
  const origin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(s.stack.web.distribution), 'DomainName'] }]] };
  expect((propsOf(s.stack.httpApi.api).CorsConfiguration as Json).AllowOrigins).toEqual([TEST_ORIGIN, origin]);
  const rules = (propsOf(s.stack.documents.bucket).CorsConfiguration as { CorsRules: Json[] }).CorsRules;
  expect(rules[0]?.AllowedOrigins).toEqual([TEST_ORIGIN, origin]);
  // Archivists view retrieved files in the page: the archive bucket answers their GETs, and nothing else.
  const archive = (propsOf(s.stack.archive.bucket).CorsConfiguration as { CorsRules: Json[] }).CorsRules;
  expect(archive).toHaveLength(1);
  expect(archive[0]?.AllowedOrigins).toEqual([TEST_ORIGIN, origin]);
  expect(archive[0]?.AllowedMethods).toEqual(['GET']);
});

it('outputs the web address', () => {
  const outputs = s.template.toJSON().Outputs as Record<string, Json>;
  expect(text(outputs.WebUrl?.Value)).toBe(`https://<${idOf(s.stack.web.distribution)}.DomainName>/`);
});

it('has no dependency cycle between its resources', () => {
  const graph = new Map<string, Set<string>>();
  const collect = (value: unknown, into: Set<string>): void => {
    if (Array.isArray(value)) value.forEach((v) => collect(v, into));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Json)) {
        if (k === 'Ref' && typeof v === 'string' && v in resources) into.add(v);
        else if (k === 'Fn::GetAtt') into.add((v as string[])[0] as string);
        else collect(v, into);
      }
    }
  };
  for (const [id, r] of Object.entries(resources)) {
    const deps = new Set<string>();
    collect(r.Properties, deps);
    for (const d of [r.DependsOn ?? []].flat() as string[]) deps.add(d);
    graph.set(id, deps);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (id: string, trail: string[]): void => {
    state.set(id, 'visiting');
    for (const next of graph.get(id) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...trail, id, next].join(' → '));
      else if (!state.has(next)) visit(next, [...trail, id]);
    }
    state.set(id, 'done');
  };
  for (const id of graph.keys()) if (!state.has(id)) visit(id, []);
  expect(cycles).toEqual([]);
});

describe('with a custom domain', () => {
  let stack: RegistryStack;
  let template: Json;

  beforeAll(() => {
    // Only the web part matters here: skip bundling the functions.
    const app = unbundledApp();
    stack = createRegistryStack(app, 'RegistryDomain', {
      webOrigins: [TEST_ORIGIN],
      webDist: fakeWebDist(),
      webDomain: { name: 'xinfang.example.gov.cn', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab' },
      authDomainPrefix: 'xf-registry-test',
      alarmTopicArn: 'arn:aws:sns:cn-north-1:123456789012:xinfang-ops',
    });
    template = Template.fromStack(stack).toJSON() as Json;
  }, SYNTH_TIMEOUT_MS);

  it(
    'passes the Control Tower rules on TLS and alarm actions without their suppressions',
    () => {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'xf-guard-domain-')), 'RegistryDomain.template.json');
      writeFileSync(file, JSON.stringify(template));
      const result = checkTemplates([file], { services: ['cloudfront', 'cloudwatch'] });
      expect(result.unsuppressed).toEqual([]);
      // With a certificate and a topic, only the origin failover (one S3 origin) stays suppressed.
      expect([...new Set(result.suppressed.map((f) => f.rule))]).toEqual(['cloudfront_origin_failover_enabled_check']);
      expect(result.unused).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );

  const res = (c: { node: { defaultChild?: unknown } }): Json =>
    ((template.Resources as Record<string, Json>)[logicalId(c.node.defaultChild as CfnResource)] as Json).Properties as Json;

  it('serves the domain with its certificate and TLS 1.2+, and signs in back to it', () => {
    expect(res(stack.web.distribution).DistributionConfig).toMatchObject({
      Aliases: ['xinfang.example.gov.cn'],
      ViewerCertificate: { MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    expect(res(stack.identity.client)).toMatchObject({ CallbackURLs: ['https://xinfang.example.gov.cn/'], LogoutURLs: ['https://xinfang.example.gov.cn/'] });
    expect(res(stack.identity.domain).Domain).toBe('xf-registry-test');
    // The domain is also the configured origin (TEST_ORIGIN): listed once.
    expect(TEST_ORIGIN).toBe('https://xinfang.example.gov.cn');
    expect((res(stack.httpApi.api).CorsConfiguration as Json).AllowOrigins).toEqual([TEST_ORIGIN]);
    expect(((res(stack.documents.bucket).CorsConfiguration as { CorsRules: Json[] }).CorsRules[0] as Json).AllowedOrigins).toEqual([TEST_ORIGIN]);
  });

  it('names the API and the buckets exactly in the Content-Security-Policy', () => {
    const csp = directives(cspOf(template));
    const id = (c: { node: { defaultChild?: unknown } }): string => logicalId(c.node.defaultChild as CfnResource);
    const buckets = [`https://<${id(stack.documents.bucket)}.RegionalDomainName>`, `https://<${id(stack.archive.bucket)}.RegionalDomainName>`];
    expect(csp['connect-src']).toEqual([
      "'self'",
      `<${id(stack.httpApi.api)}.ApiEndpoint>`,
      ...buckets,
      `https://<${id(stack.identity.domain)}>.auth.<AWS::Region>.amazoncognito.com`,
    ]);
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:', ...buckets]);
  });

  it('needs no acknowledgement of the TLS version, and stays nag clean', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    const acks = stack.web.distribution.node.metadata.flatMap((m) => Object.keys((m.data ?? {}) as Json));
    expect(acks.some((a) => a.includes('CFR4'))).toBe(false);
  });
});
