/**
 * What the web application reads at start from `config.json`, beside its index.html: where the
 * API is and how to sign in. The local stack writes it for the built-in issuer, CDK for Cognito
 * (infra/constructs/web.ts); the build itself carries no address, so one build serves both.
 */
export const WEB_CONFIG_FILE = 'config.json';

export interface LocalSignIn {
  kind: 'local';
  /** The built-in issuer: GET <issuerUrl>/users lists the demo users, POST <issuerUrl>/token signs in. */
  issuerUrl: string;
}

export interface CognitoSignIn {
  kind: 'cognito';
  /** The hosted UI's domain, e.g. https://xf-registry-123456789012.auth.cn-north-1.amazoncognito.com */
  domain: string;
  /** The user pool's web client (authorization code with PKCE, no secret). */
  clientId: string;
  /** Where Cognito sends the browser back: the web application's own address. */
  redirectUri: string;
}

export interface WebConfig {
  /** The API's base URL without a trailing slash; '' for the page's own origin (the local stack). */
  apiUrl: string;
  auth: LocalSignIn | CognitoSignIn;
  /** Shown in the page footer: 'local' or the stage's name. */
  environment: string;
}
