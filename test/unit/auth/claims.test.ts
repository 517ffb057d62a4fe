import { describe, expect, it } from 'vitest';
import { actorFromClaims } from '../../../shared/auth/claims';
import { UnauthenticatedError } from '../../../shared/domain/errors';

const base = {
  sub: 'a1b2c3d4-0000-4000-8000-000000000001',
  token_use: 'id',
  'cognito:username': 'wangfang',
};

describe('actorFromClaims', () => {
  it('uses name as the display name, the username when name is absent or blank', () => {
    expect(actorFromClaims({ ...base, name: '王芳' }).displayName).toBe('王芳');
    expect(actorFromClaims(base).displayName).toBe('wangfang');
    expect(actorFromClaims({ ...base, name: '  ' }).displayName).toBe('wangfang');
  });

  it('keeps only known roles, once each, in the canonical order', () => {
    const actor = actorFromClaims({ ...base, 'cognito:groups': ['admin', 'cn-north-1_pool_SAML', 'clerk', 'admin'] });

    expect(actor.roles).toEqual(['clerk', 'admin']);
  });

  it('is authenticated with no roles when no group is a role', () => {
    expect(actorFromClaims({ ...base, 'cognito:groups': ['Clerk', 'ADMIN'] }).roles).toEqual([]);
  });

  it('carries deptCode, trimmed, and omits it when absent', () => {
    expect(actorFromClaims({ ...base, 'cognito:groups': ['department'], 'custom:deptCode': ' HRSS ' }).deptCode).toBe('HRSS');
    expect('deptCode' in actorFromClaims(base)).toBe(false);
  });

  it('refuses a department user without a usable deptCode', () => {
    const dept = { ...base, 'cognito:groups': ['department'] };

    expect(() => actorFromClaims(dept)).toThrow(UnauthenticatedError);
    expect(() => actorFromClaims({ ...dept, 'custom:deptCode': '' })).toThrow(/department code/);
    expect(() => actorFromClaims({ ...dept, 'custom:deptCode': 'DEPT#HRSS' })).toThrow(/malformed claims \(custom:deptCode\)/);
  });

  it('refuses tokens that are not ID tokens and claims of the wrong shape', () => {
    expect(() => actorFromClaims({ ...base, token_use: 'access' })).toThrow(/not an ID token/);
    expect(() => actorFromClaims({ sub: base.sub, token_use: 'id' })).toThrow(/malformed claims \(cognito:username\)/);
    expect(() => actorFromClaims({ ...base, sub: 42 })).toThrow(/malformed claims \(sub\)/);
  });
});
