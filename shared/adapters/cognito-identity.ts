/**
 * Where users sign in, in AWS: the Cognito user pool, through its admin API (DESIGN §7). A user
 * is created with an invitation (Cognito emails a temporary password), roles are groups, the
 * department is `custom:deptCode`; disabling a user also signs them out everywhere (their refresh
 * tokens stop working; the ID token they hold is refused by the directory check of every request).
 *
 * The actions used here are exactly those CDK grants the admin function on its own pool
 * (COGNITO_ADMIN_ACTIONS; test/cdk/iam.test.ts).
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityProvider } from '../app/directory-ports';
import type { DirectoryUser } from '../domain/directory';

/** The IAM actions of the calls below, granted to the admin function on the pool alone. */
export const COGNITO_ADMIN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
] as const;

/** +86 and the 11 digits of a mainland mobile; a landline is not a Cognito phone number. */
function e164(phone: string | undefined): string | undefined {
  return phone && /^1[3-9]\d{9}$/.test(phone) ? `+86${phone}` : undefined;
}

function attributes(user: Omit<DirectoryUser, 'sub'>): AttributeType[] {
  const phone = e164(user.phone);
  return [
    { Name: 'name', Value: user.displayName },
    { Name: 'custom:deptCode', Value: user.deptCode ?? '' },
    ...(phone ? [{ Name: 'phone_number', Value: phone }] : []),
    ...(user.email
      ? [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
        ]
      : []),
  ];
}

export class CognitoIdentity implements IdentityProvider {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async createUser(user: Omit<DirectoryUser, 'sub'>): Promise<{ sub: string }> {
    const UserPoolId = this.userPoolId;
    try {
      await this.client.send(
        new AdminCreateUserCommand({ UserPoolId, Username: user.username, UserAttributes: attributes(user), DesiredDeliveryMediums: ['EMAIL'] }),
      );
    } catch (err) {
      // Created by an earlier attempt whose directory write failed: take it over.
      if (!(err instanceof Error && err.name === 'UsernameExistsException')) throw err;
      await this.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username: user.username, UserAttributes: attributes(user) }));
    }
    await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: user.username, GroupName: user.role }));
    const got = await this.client.send(new AdminGetUserCommand({ UserPoolId, Username: user.username }));
    const sub = got.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    if (!sub) throw new Error(`Cognito returned no sub for ${user.username}`);
    return { sub };
  }

  async updateUser(before: DirectoryUser, after: DirectoryUser): Promise<void> {
    const UserPoolId = this.userPoolId;
    const Username = after.username;
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username,
        UserAttributes: attributes(after).filter((a) => a.Name !== 'email_verified' && a.Name !== 'email'),
      }),
    );
    if (before.role !== after.role) {
      await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: after.role }));
      await this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName: before.role }));
    }
  }

  async setEnabled(username: string, enabled: boolean): Promise<void> {
    const UserPoolId = this.userPoolId;
    if (enabled) {
      await this.client.send(new AdminEnableUserCommand({ UserPoolId, Username: username }));
      return;
    }
    await this.client.send(new AdminDisableUserCommand({ UserPoolId, Username: username }));
    await this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: username }));
  }
}
