/**
 * Who may use the registry: a Cognito user pool with one group per role (shared/domain/roles.ts)
 * and a `deptCode` attribute for department users, and one app client for the web SPA. The SPA
 * sends the ID token (it carries `cognito:groups` and `custom:deptCode`); API Gateway checks it
 * with a JWT authorizer and the functions verify it again with the same code as locally.
 *
 * MFA is REQUIRED (TOTP, no SMS): every account here reads petitioners' personal data, the users
 * are a small staff created by an administrator, and an authenticator app costs them nothing. The
 * Plus feature plan's threat protection blocks compromised-credential and unusual sign-ins.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_LABELS, ROLES, type Role } from '../../shared/domain/roles';

/** The custom attribute that names a department user's department; the token has custom:deptCode. */
export const DEPT_CODE_ATTRIBUTE = 'deptCode';

export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly groups: Record<Role, cognito.UserPoolGroup>;

  constructor(scope: Construct, id: string) {
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

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      // No hosted UI: the SPA signs in with SRP against the pool directly.
      disableOAuth: true,
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
