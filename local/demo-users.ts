/**
 * The seeded demo users and departments of the local stack (DESIGN §7). Data only: the built-in
 * issuer (local/issuer.ts) signs Cognito-shaped ID tokens for these users, and the local seed
 * uses the same department list. In AWS the users live in the Cognito user pool instead.
 *
 * `sub` values are fixed so a token minted today and one minted after a restart name the same
 * user, and so audit events recorded locally keep pointing at the same person.
 */
import { DEFAULT_DEPARTMENTS } from '../shared/domain/office';
import type { Role } from '../shared/domain/roles';

export interface DemoDepartment {
  /** Stable code, the `custom:deptCode` claim of the department's users. */
  code: string;
  name: string;
}

export interface DemoUser {
  /** Login name, the `cognito:username` claim. */
  username: string;
  /** Stable, uuid-like subject, the `sub` claim. */
  sub: string;
  /** Display name, the `name` claim. */
  name: string;
  /** The Cognito groups, the `cognito:groups` claim. */
  roles: Role[];
  /** Set for department users only. */
  deptCode?: string;
}

/** The office's default departments (shared/domain/office.ts): the demo has a user for each. */
export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = DEFAULT_DEPARTMENTS;

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'clerk1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000101', name: '王芳', roles: ['clerk'] },
  { username: 'clerk2', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000102', name: '陈静', roles: ['clerk'] },
  { username: 'director1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000201', name: '李建国', roles: ['director'] },
  { username: 'archivist1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000301', name: '赵敏', roles: ['archivist'] },
  { username: 'admin1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000401', name: '刘洋', roles: ['admin'] },
  { username: 'hrss1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000501', name: '周强', roles: ['department'], deptCode: 'HRSS' },
  { username: 'housing1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000502', name: '吴磊', roles: ['department'], deptCode: 'HOUSING' },
  { username: 'natres1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000503', name: '郑丽', roles: ['department'], deptCode: 'NATRES' },
  { username: 'eco1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000504', name: '孙伟', roles: ['department'], deptCode: 'ECO' },
  { username: 'civil1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000505', name: '马丽', roles: ['department'], deptCode: 'CIVIL' },
  { username: 'agri1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000506', name: '朱军', roles: ['department'], deptCode: 'AGRI' },
  { username: 'police1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000507', name: '胡斌', roles: ['department'], deptCode: 'POLICE' },
  { username: 'jw1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000508', name: '林涛', roles: ['department'], deptCode: 'JW' },
  { username: 'urban1', sub: '0b7e4c1a-3f2d-4a51-9c01-000000000509', name: '何平', roles: ['department'], deptCode: 'URBAN' },
];
