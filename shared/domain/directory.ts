/**
 * The office's directory (DESIGN §1, admin): its departments and its users, as data the admin
 * keeps from a screen. Pure: the schemas of what is stored and of what the admin sends, and the
 * rules a change must keep.
 *
 * - A department's code is chosen once and never changes; a retired department keeps its code
 *   (its cases, history and accused-unit matching still name it), and a retired code never
 *   returns: creating a department with a code that exists, retired or not, is refused.
 * - A user has one role; a department user belongs to one department that is not retired.
 *   A disabled user is refused at their next request (the middleware reads the directory).
 */
import { z } from 'zod';
import { ROLES } from './roles';

/** The code of a department: table keys and the `custom:deptCode` claim carry it. */
export const DEPT_CODE = z.string().regex(/^[A-Z][A-Z0-9_-]{1,19}$/, 'must be 2–20 capital letters, digits, _ or -, starting with a letter');
export const DEPT_NAME = z.string().trim().min(2, 'at least 2 characters').max(40, 'at most 40 characters');

export const DepartmentSchema = z.object({
  code: DEPT_CODE,
  name: z.string().min(1),
  /** Retired: no new cases or users; its history, open cases and matching stay. */
  retired: z.boolean().default(false),
  updatedAt: z.string().optional(),
});
export type Department = z.infer<typeof DepartmentSchema>;

/** A login name, the `cognito:username` claim (Cognito usernames are case-insensitive here). */
export const USERNAME = z.string().regex(/^[a-z][a-z0-9_.-]{2,31}$/, 'must be 3–32 lower-case letters, digits, _ . -, starting with a letter');
export const DISPLAY_NAME = z.string().trim().min(2, 'at least 2 characters').max(20, 'at most 20 characters');
/** A mainland mobile number, or a landline with its area code. */
export const STAFF_PHONE = z
  .string()
  .trim()
  .regex(/^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, 'must be a mobile number (11 digits) or a landline with its area code');

export const DirectoryUserSchema = z.object({
  username: USERNAME,
  /** The token's `sub`: fixed when the user is created (Cognito's, or a new UUID locally). */
  sub: z.string().min(1).max(128),
  displayName: z.string().min(1).max(64),
  role: z.enum(ROLES),
  deptCode: DEPT_CODE.optional(),
  phone: z.string().max(20).optional(),
  email: z.string().max(254).optional(),
  enabled: z.boolean(),
  updatedAt: z.string().optional(),
});
export type DirectoryUser = z.infer<typeof DirectoryUserSchema>;

const withDepartment = <T extends { role?: string; deptCode?: string }>(u: T, ctx: z.RefinementCtx) => {
  if (u.role === 'department' && !u.deptCode) ctx.addIssue({ code: 'custom', path: ['deptCode'], message: 'a department user needs a department' });
  if (u.role !== undefined && u.role !== 'department' && u.deptCode)
    ctx.addIssue({ code: 'custom', path: ['deptCode'], message: 'only a department user belongs to a department' });
};

export const CreateDepartmentSchema = z.object({ code: DEPT_CODE, name: DEPT_NAME });
export type CreateDepartment = z.infer<typeof CreateDepartmentSchema>;
export const RenameDepartmentSchema = z.object({ name: DEPT_NAME });
export type RenameDepartment = z.infer<typeof RenameDepartmentSchema>;

export const CreateUserSchema = z
  .object({
    username: USERNAME,
    displayName: DISPLAY_NAME,
    role: z.enum(ROLES),
    deptCode: DEPT_CODE.optional(),
    phone: STAFF_PHONE.optional(),
    /** Where Cognito sends the invitation (temporary password); kept on the user. */
    email: z.email().max(254).optional(),
  })
  .superRefine(withDepartment);
export type CreateUser = z.infer<typeof CreateUserSchema>;

/** A change of role and/or department (a department user moved, a clerk made director). */
export const UpdateUserSchema = z
  .object({
    displayName: DISPLAY_NAME.optional(),
    role: z.enum(ROLES).optional(),
    /** `null` takes the department away (a department user becoming clerk, with `role`). */
    deptCode: DEPT_CODE.nullable().optional(),
    phone: STAFF_PHONE.nullable().optional(),
  })
  .refine((u) => Object.values(u).some((v) => v !== undefined), { message: 'change at least one of displayName, role, deptCode, phone' });
export type UpdateUser = z.infer<typeof UpdateUserSchema>;

/** The user after an update, checked against the rules (ValidationError-ready issues). */
export function updatedUser(before: DirectoryUser, change: UpdateUser): DirectoryUser {
  const role = change.role ?? before.role;
  let deptCode = change.deptCode === null ? undefined : (change.deptCode ?? before.deptCode);
  // Leaving the department role leaves the department, unless one was named explicitly.
  if (role !== 'department' && change.role !== undefined && change.deptCode === undefined) deptCode = undefined;
  const phone = change.phone === null ? undefined : (change.phone ?? before.phone);
  const { deptCode: _d, phone: _p, ...rest } = before;
  return {
    ...rest,
    role,
    displayName: change.displayName ?? before.displayName,
    ...(deptCode ? { deptCode } : {}),
    ...(phone ? { phone } : {}),
  };
}

/** Why a user cannot be stored as it is (department rules), as [field, reason]; undefined when fine. */
export function userProblem(user: Pick<DirectoryUser, 'role' | 'deptCode'>, departments: readonly Department[]): [string, string] | undefined {
  if (user.role === 'department') {
    if (!user.deptCode) return ['deptCode', 'a department user needs a department'];
    const dept = departments.find((d) => d.code === user.deptCode);
    if (!dept) return ['deptCode', `unknown department ${user.deptCode}`];
    if (dept.retired) return ['deptCode', `department ${user.deptCode} is retired`];
  } else if (user.deptCode) {
    return ['deptCode', 'only a department user belongs to a department'];
  }
  return undefined;
}

/** What an admin change records: the fields that differ, before → after. */
export function changedFields<T extends Record<string, unknown>>(
  before: T | undefined,
  after: T | undefined,
  ignore: readonly string[] = ['updatedAt'],
): Record<string, { before: unknown; after: unknown }> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})].filter((k) => !ignore.includes(k)));
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const k of [...keys].sort()) {
    const b = before?.[k];
    const a = after?.[k];
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = { before: b ?? null, after: a ?? null };
  }
  return out;
}
