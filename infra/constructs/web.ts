/**
 * The web application in AWS: the Vite build of web/ (web/dist) in a private S3 bucket, served by
 * CloudFront through Origin Access Control, with the `config.json` the application reads at start
 * (shared/http/web-config.ts) generated here: the API's address and the Cognito sign-in.
 *
 * Two steps, because the distribution's address is needed before the rest exists (it is the
 * Cognito client's callback URL and an allowed CORS origin of the API and the documents bucket),
 * while config.json needs the API and the client: the constructor creates the bucket and the
 * distribution; {@link WebApp.publish} uploads the build and config.json once they exist.
 *
 * The Content-Security-Policy names the origins the browser talks to. With a custom domain
 * (`domain`) they are exact. Without one, the distribution's own *.cloudfront.net name is known
 * only once it is created, and the API and documents bucket must allow it (CORS): naming them
 * exactly in the distribution's header policy would make the distribution and the API each
 * depend on the other. The policy then allows this region's API Gateway and S3 endpoints by
 * wildcard (`https://*.execute-api.<region>.<suffix>`, `https://*.s3.<region>.<suffix>`).
 */
import { Aws, DefaultStackSynthesizer, Duration, Lazy, RemovalPolicy, Stack, type CfnResource } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { WEB_CONFIG_FILE, type WebConfig } from '../../shared/http/web-config';
import { suppressGuard } from './guard';
import { acknowledge, arnToken } from './nag';

/** Hashed build output (Vite's `assets/`): cached a year, never revalidated. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** index.html, config.json and the other root files: revalidated on every load. */
export const REVALIDATE_CACHE_CONTROL = 'no-cache';

export interface WebDomain {
  /** The host name, e.g. xinfang.example.gov.cn (a DNS CNAME to the distribution is added by you). */
  name: string;
  /** An ACM certificate for it in us-east-1 (CloudFront's requirement). */
  certificateArn: string;
}

export interface WebAppProps {
  /** The built application: a directory with index.html and assets/ (web/dist). */
  distDir: string;
  /** Receives the server access logs of the site bucket and of the CloudFront log bucket. */
  accessLogs: s3.IBucket;
  /** Optional own domain; default: the distribution's *.cloudfront.net name. */
  domain?: WebDomain;
  /** The ARN of a CLOUDFRONT-scope WAF web ACL (us-east-1, infra/waf-stack.ts) to attach; none by default. */
  webAclArn?: string;
}

/** What config.json needs and the Content-Security-Policy names. */
export interface WebPublishProps {
  /** The HTTP API's endpoint (https://<id>.execute-api.<region>.<suffix>), no trailing slash. */
  apiEndpoint: string;
  /** The Cognito hosted UI / managed login domain, e.g. https://<prefix>.auth.<region>.amazoncognito.com */
  signInDomain: string;
  /** The web app client's id. */
  clientId: string;
  /** Shown in the page footer. */
  environment: string;
  /**
   * Buckets the browser uploads to or downloads from by presigned URL (documents, archive):
   * named exactly in the CSP when there is a custom domain (see the module comment).
   */
  buckets: s3.IBucket[];
}

export class WebApp extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  /** The application's address, with the trailing slash: `https://<host>/`. */
  readonly url: string;
  /** The application's origin (scheme://host), for CORS. */
  readonly origin: string;
  site?: s3deploy.BucketDeployment;
  private readonly distDir: string;
  private readonly hasDomain: boolean;
  private published?: WebPublishProps;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    if (!existsSync(path.join(props.distDir, 'index.html'))) {
      throw new Error(`The web application is not built: ${path.join(props.distDir, 'index.html')} is missing. Run \`npm run build:web\`.`);
    }
    this.distDir = props.distDir;
    this.hasDomain = props.domain !== undefined;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      // Versioned: the files a deployment replaced stay 30 days, so a bad release can be rolled
      // back by restoring them.
      versioned: true,
      lifecycleRules: [{ id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      // Like every bucket of the stack, kept if the stack is deleted (remove it by hand).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppressGuard(
      this.bucket,
      's3_bucket_default_encryption_kms_check',
      'The bucket holds the built web application only (HTML, JavaScript, CSS, config.json with public endpoints), which CloudFront serves to anyone; SSE-S3 encrypts it at rest, and a customer-managed key would protect nothing that is not public.',
    );
    suppressGuard(
      this.bucket,
      's3_bucket_object_lock_enabled_check',
      'Each deployment replaces index.html and config.json and may remove old files; Object Lock would forbid that. Versioning keeps replaced files 30 days for a rollback.',
    );
    suppressGuard(
      this.bucket,
      's3_event_notifications_enabled_check',
      'Only the deployment writes here (CDK BucketDeployment, then a CloudFront invalidation): there is no event to react to.',
    );

    // CloudFront's standard logs are written with an ACL: this bucket alone has ACLs enabled
    // (owner preferred), still closed to the public.
    this.logBucket = new s3.Bucket(this, 'CdnLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'cdn-logs/',
      // Versioned, so a deleted or overwritten log stays recoverable for 30 days.
      versioned: true,
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppressGuard(
      this.logBucket,
      's3_bucket_default_encryption_kms_check',
      'CloudFront standard logs are delivered by the awslogsdelivery account through the bucket ACL; SSE-S3 encrypts them at rest. They hold request metadata for static files (no case data, no tokens: the API is not behind this distribution).',
    );
    suppressGuard(
      this.logBucket,
      's3_bucket_object_lock_enabled_check',
      'The logs expire after 400 days by lifecycle, which Object Lock would forbid; versioning keeps a deleted or overwritten log for 30 days.',
    );
    suppressGuard(
      this.logBucket,
      's3_event_notifications_enabled_check',
      'Nothing reacts to a log delivery: the logs are read on demand when a question about access arises.',
    );

    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Xinfang registry web app: security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: Lazy.string({ produce: () => this.contentSecurityPolicy() }), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    // index.html and config.json are revalidated on every load: the origin's Cache-Control
    // (no-cache) decides, nothing is kept without it. Hashed assets use AWS's CachingOptimized.
    const revalidate = new cloudfront.CachePolicy(this, 'Revalidate', {
      comment: 'Xinfang registry web app: honour the origin Cache-Control (no-cache for index.html, config.json)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      responseHeadersPolicy: this.responseHeaders,
    };
    const certificate = props.domain ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn) : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Xinfang registry web app (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: { ...behavior, cachePolicy: revalidate },
      additionalBehaviors: { 'assets/*': { ...behavior, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED } },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      // The WAF web ACL (us-east-1, infra/waf-stack.ts) when one is given.
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(props.domain && certificate
        ? { domainNames: [props.domain.name], certificate, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
    });

    const host = props.domain?.name ?? this.distribution.distributionDomainName;
    this.origin = `https://${host}`;
    this.url = `${this.origin}/`;

    suppressGuard(
      this.distribution,
      'cloudfront_origin_failover_enabled_check',
      'One origin, the S3 bucket with the static application (99.99% available, 11 nines durable in its region); a failover origin would need a replicated bucket in a second region for files the next deployment rewrites anyway. The API and data are not behind this distribution.',
    );
    if (!props.domain) {
      const noDomain =
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, for which CloudFront lets neither a certificate, SNI nor the minimum TLS version be set; give webDomain and webCertificateArn (docs/deploy.md) and the distribution uses that ACM certificate with SNI and TLSv1.2_2021 (the test checks these rules then pass).';
      for (const rule of ['cloudfront_custom_ssl_certificate_check', 'cloudfront_sni_enabled_check', 'cloudfront_security_policy_check']) {
        suppressGuard(this.distribution, rule, noDomain);
      }
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, for which CloudFront does not let the minimum TLS version be set; give webDomain and webCertificateArn (docs/deploy.md) to enforce TLSv1.2_2021.',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geographic restriction: the office staff and the petitioners who look up their case may connect from anywhere; sign-in (Cognito, MFA) and the API protect the data, the distribution serves only the static application.',
    );
    if (!props.webAclArn)
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        'No WAF web ACL given (-c webAclArn): the distribution serves only the static application files; the API, which it does not front, is throttled and rate-limits every public route itself (docs/online.md). Deploy infra/waf-stack.ts in us-east-1 and pass its ARN to attach the rate rules.',
      );
  }

  /** Uploads the build and writes config.json (call once, after the API and the client exist). */
  publish(props: WebPublishProps): void {
    if (this.published) throw new Error('WebApp.publish: already published');
    this.published = props;
    const config: WebConfig = {
      apiUrl: props.apiEndpoint,
      auth: { kind: 'cognito', domain: props.signInDomain, clientId: props.clientId, redirectUri: this.url },
      environment: props.environment,
    };

    // Hashed files first, never pruned: a browser still running the previous index.html can load
    // its chunks during and after a deployment.
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      sources: [s3deploy.Source.asset(path.join(this.distDir, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString(IMMUTABLE_CACHE_CONTROL)],
      memoryLimit: 512,
      outputObjectKeys: false,
    });
    // Then index.html and config.json (revalidated by browsers), and the edge caches of both invalidated.
    this.site = new s3deploy.BucketDeployment(this, 'DeploySite', {
      sources: [
        s3deploy.Source.asset(this.distDir, { exclude: ['assets', 'assets/**', '.vite', '.vite/**', WEB_CONFIG_FILE] }),
        s3deploy.Source.jsonData(WEB_CONFIG_FILE, config),
      ],
      destinationBucket: this.bucket,
      // Pruning leaves assets/ alone (excluded keys are not deleted).
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [s3deploy.CacheControl.fromString(REVALIDATE_CACHE_CONTROL)],
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html', `/${WEB_CONFIG_FILE}`],
      memoryLimit: 512,
      outputObjectKeys: false,
    });
    this.site.node.addDependency(assets);
    this.acknowledgeDeploymentHandler();
  }

  /**
   * The files are copied by CDK's BucketDeployment custom resource (one function per stack and
   * memory size); its role, policy and runtime are CDK's, not configurable. What nag finds there.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('WebApp: the BucketDeployment handler was not found');
    const synthesizer = stack.synthesizer;
    const qualifier =
      (synthesizer instanceof DefaultStackSynthesizer ? synthesizer.bootstrapQualifier : undefined) ??
      (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
      DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const why =
      "CDK's BucketDeployment function (it copies the built web application from the CDK asset bucket into the site bucket at deploy time, then invalidates the distribution)";
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${why} uses the AWS-managed basic execution role for its logs; CDK does not expose it.`,
    );
    acknowledge(handler, 'AwsSolutions-L1', `${why} runs on the Python runtime CDK pins for its bundled AWS CLI; it is not ours to choose.`);
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      acknowledge(
        handler,
        `AwsSolutions-IAM5[Action::${action}]`,
        `${why} is granted CDK's read (asset bucket) and read-write (site bucket) action groups: sync lists, reads, writes and prunes objects.`,
      );
    }
    acknowledge(
      handler,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`,
      `${why} reads the uploaded build archives from the bootstrap asset bucket; their keys are content hashes known only at synthesis.`,
    );
    acknowledge(
      handler,
      `AwsSolutions-IAM5[Resource::${arnToken(this.bucket.node.defaultChild as CfnResource)}/*]`,
      `${why} writes and prunes the site bucket's objects (index.html, config.json, assets/); the bucket holds nothing else.`,
    );
    acknowledge(
      handler,
      'AwsSolutions-IAM5[Resource::*]',
      `${why} is granted cloudfront:CreateInvalidation and GetInvalidation on every resource by CDK; it invalidates only this stack's distribution, named in its properties.`,
    );
  }

  /** The Content-Security-Policy (resolved at synthesis, once publish has said what to allow). */
  private contentSecurityPolicy(): string {
    const p = this.published;
    if (!p) throw new Error('WebApp: publish() was not called');
    const region = Aws.REGION;
    const suffix = Aws.URL_SUFFIX;
    const api = this.hasDomain ? [p.apiEndpoint] : [`https://*.execute-api.${region}.${suffix}`];
    // The SDK presigns virtual-hosted, regional URLs: https://<bucket>.s3.<region>.<suffix>/ (us-east-1 included).
    const buckets = this.hasDomain ? p.buckets.map((b) => `https://${b.bucketRegionalDomainName}`) : [`https://*.s3.${region}.${suffix}`];
    return [
      "default-src 'self'",
      // pdf.js may compile its image decoders to WebAssembly; no eval, no inline script.
      "script-src 'self' 'wasm-unsafe-eval'",
      "style-src 'self' 'unsafe-inline'",
      // Page previews are drawn on canvas from blob:/data: images; scans are fetched by presigned GET.
      ["img-src 'self' data: blob:", ...buckets].join(' '),
      "font-src 'self' data:",
      // The API, presigned uploads (POST) and downloads (GET), and the code → token exchange.
      ["connect-src 'self'", ...api, ...buckets, p.signInDomain].join(' '),
      // pdf.js's worker is served from 'self' (and may be started from a blob: URL).
      "worker-src 'self' blob:",
      ["frame-src 'self' blob:", ...buckets].join(' '),
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
  }
}
