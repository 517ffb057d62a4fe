/**
 * Who may use the registry: a Cognito user pool with one group per role (shared/domain/roles.ts)
 * and a `deptCode` attribute for department users, and one app client for the web SPA. The SPA
 * signs in through Cognito's managed login (authorization code with PKCE, on the user pool's
 * domain) and sends the ID token (it carries `cognito:groups` and `custom:deptCode`); API Gateway
 * checks it with a JWT authorizer and the functions verify it again with the same code as locally.
 * The client's id is the tokens' audience (AUTH_AUDIENCE): it is the one client.
 *
 * MFA is REQUIRED (TOTP, no SMS): every account here reads petitioners' personal data, the users
 * are a small staff created by an administrator, and an authenticator app costs them nothing. The
 * Plus feature plan's threat protection blocks compromised-credential and unusual sign-ins.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_LABELS, ROLES, type Role } from '../../shared/domain/roles';

/** The custom attribute that names a department user's department; the token has custom:deptCode. */
export const DEPT_CODE_ATTRIBUTE = 'deptCode';

export interface IdentityProps {
  /** The web application's address (`https://<host>/`): the client's callback and sign-out URL. */
  webUrl: string;
  /**
   * The prefix of the user pool's Cognito domain (`https://<prefix>.auth.<region>.amazoncognito.com`):
   * lower-case letters, digits and hyphens, unique in the region; default
   * `<stack name in lower case>-<account id>`.
   */
  domainPrefix?: string;
}

/** Cognito refuses domain prefixes with these words. */
const RESERVED_IN_PREFIX = ['aws', 'amazon', 'cognito'];

/** The default domain prefix: the stack's name (lower case, hyphens, at most 50 characters) and the account. */
export function defaultDomainPrefix(stack: Stack): string {
  const name = stack.stackName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/g, '');
  const reserved = RESERVED_IN_PREFIX.find((w) => name.includes(w));
  if (reserved || name === '') {
    throw new Error(
      `The stack name "${stack.stackName}" cannot start the Cognito domain prefix${reserved ? ` (it contains "${reserved}")` : ''}: set -c authDomainPrefix=...`,
    );
  }
  return `${name}-${stack.account}`;
}

export function validateDomainPrefix(prefix: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(`authDomainPrefix: "${prefix}" must be 1-63 lower-case letters, digits and hyphens, not starting or ending with a hyphen`);
  }
  const reserved = RESERVED_IN_PREFIX.find((w) => prefix.includes(w));
  if (reserved) throw new Error(`authDomainPrefix: "${prefix}" may not contain "${reserved}"`);
  return prefix;
}

export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly groups: Record<Role, cognito.UserPoolGroup>;
  /** The user pool's domain: managed login and the OAuth endpoints (/oauth2/authorize, /oauth2/token, /logout). */
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        // Mutable so an administrator can move a user to another department; users cannot write
        // it themselves (the app client's write attributes leave it out).
        [DEPT_CODE_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
      },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: '信访案件登记系统账号 / Xinfang registry account',
        emailBody: '您的用户名：{username}，临时密码：{####}。首次登录需修改密码并绑定验证器应用。 Your username is {username} and temporary password {####}.',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.groups = Object.fromEntries(
      ROLES.map((role) => [
        role,
        new cognito.UserPoolGroup(this, `Group-${role}`, { userPool: this.userPool, groupName: role, description: ROLE_LABELS[role] }),
      ]),
    ) as Record<Role, cognito.UserPoolGroup>;

    const prefix = props.domainPrefix === undefined ? defaultDomainPrefix(Stack.of(this)) : validateDomainPrefix(props.domainPrefix);
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: prefix },
      // Managed login (not the classic hosted UI): it walks a new user through the required
      // authenticator-app (TOTP) setup, which the classic hosted UI cannot.
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // The SPA signs in through managed login (below); SRP and password sign-in stay for scripts
      // and the first-sign-in steps of docs/deploy.md.
      authFlows: { userSrp: true, userPassword: true },
      oAuth: {
        // Authorization code only (the SPA sends a PKCE challenge; a public client has no secret).
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        // openid puts every attribute the client may read into the ID token (custom:deptCode, name).
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE, cognito.OAuthScope.EMAIL],
        callbackUrls: [props.webUrl],
        logoutUrls: [props.webUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(DEPT_CODE_ATTRIBUTE),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    // Managed login shows its pages only for a client with a style: Cognito's default one.
    new cognito.CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  /** The base URL of the user pool's domain (what config.json calls `auth.domain`). */
  get signInDomain(): string {
    return this.domain.baseUrl();
  }

  /** The token issuer: what API Gateway and the functions check `iss` against. */
  get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }

  get jwksUrl(): string {
    return `${this.issuerUrl}/.well-known/jwks.json`;
  }

  /** The ID token's `aud`: the web client's id. */
  get audience(): string {
    return this.client.userPoolClientId;
  }
}
