/**
 * The admin's routes for the office's directory (DESIGN §1): departments, users and roles, and
 * the office-level audit trail of every admin change, with their request schemas; part of the
 * route table (routes.ts spreads them in). The letter templates and the holiday calendar are in
 * routes.ts. Served by the `admin` function; admin only.
 */
import { z } from 'zod';
import { CATEGORY_PATH, CreateCategorySchema, RenameCategorySchema } from '../domain/categories';
import { CreateDepartmentSchema, CreateUserSchema, DEPT_CODE, RenameDepartmentSchema, UpdateUserSchema, USERNAME } from '../domain/directory';
import { ROLES } from '../domain/roles';
import { OFFICE_AUDIT_BREAKS } from '../app/office-audit';
import { SettingsOverrideSchema } from '../domain/settings';
import { route } from './route';

export const DepartmentParams = z.object({ code: DEPT_CODE });
export const UserParams = z.object({ username: USERNAME });
export const CategoryParams = z.object({ code: CATEGORY_PATH });
export const OfficeAuditQuerySchema = z.object({
  /** Events before this position of the chain (the `next` of the page before). */
  before: z.coerce.number().int().min(2).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const DepartmentResponse = z.looseObject({ code: z.string(), name: z.string(), retired: z.boolean(), updatedAt: z.string().optional() });
const DepartmentsResponse = z.object({ departments: z.array(DepartmentResponse.extend({ rev: z.number().int(), users: z.number().int() })) });
const UserResponse = z.looseObject({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  deptCode: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  enabled: z.boolean(),
  rev: z.number().int(),
  updatedAt: z.string().optional(),
});
const OfficeAuditResponse = z.object({
  events: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      type: z.string(),
      actor: z.union([z.object({ username: z.string(), displayName: z.string() }), z.object({ system: z.string() })]),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  next: z.number().int().optional(),
});
/** 立即校验's answer (shared/app/office-audit.ts). */
const OfficeAuditVerificationResponse = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  checkedAt: z.string(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.enum(OFFICE_AUDIT_BREAKS) }).optional(),
});

const SettingsView = z.looseObject({
  sweep: z.record(z.string(), z.unknown()),
  archive: z.record(z.string(), z.unknown()),
  letters: z.record(z.string(), z.unknown()),
  maxUploadBytes: z.number(),
  caseNumberPrefix: z.string(),
  caseNumberPrefixes: z.array(z.object({ fromYear: z.number().int(), prefix: z.string() })),
});
const SettingsResponse = z.object({ settings: SettingsView, configured: SettingsView, override: z.record(z.string(), z.unknown()), rev: z.number().int() });

const CategoryEntry = z.object({ code: z.string(), name: z.string(), retired: z.boolean() });
const CategoriesResponse = z.object({ categories: z.array(CategoryEntry.extend({ subcategories: z.array(CategoryEntry) })), rev: z.number().int() });

const PeopleResponse = z.object({
  people: z.array(z.object({ username: z.string(), displayName: z.string(), role: z.enum(ROLES), deptCode: z.string().optional() })),
});

export const ADMIN_ROUTES = [
  route({
    id: 'people',
    method: 'GET',
    path: '/people',
    function: 'cases-read',
    auth: true,
    roles: ROLES,
    summary:
      'The display name, role and department of every user of the office, so a screen shows a person by name where the API records a login (no phone or email)',
    tag: 'meta',
    responses: { 200: PeopleResponse },
  }),
  route({
    id: 'adminListDepartments',
    method: 'GET',
    path: '/admin/departments',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'The departments, retired ones included, with their number of enabled users (admin)',
    tag: 'admin',
    responses: { 200: DepartmentsResponse },
  }),
  route({
    id: 'adminCreateDepartment',
    method: 'POST',
    path: '/admin/departments',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Add a department; its code is fixed for ever and never reused (admin)',
    tag: 'admin',
    body: CreateDepartmentSchema,
    responses: { 201: DepartmentResponse },
  }),
  route({
    id: 'adminRenameDepartment',
    method: 'PUT',
    path: '/admin/departments/{code}',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Rename a department; its cases show the new name (admin)',
    tag: 'admin',
    params: DepartmentParams,
    body: RenameDepartmentSchema,
    responses: { 200: DepartmentResponse },
  }),
  route({
    id: 'adminRetireDepartment',
    method: 'POST',
    path: '/admin/departments/{code}/retire',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Retire a department: no new cases or users; its history and open cases stay until reassigned (admin)',
    tag: 'admin',
    params: DepartmentParams,
    responses: { 200: DepartmentResponse },
  }),
  route({
    id: 'adminListCategories',
    method: 'GET',
    path: '/admin/categories',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'The content taxonomy (问题类别 / 子类), retired entries included (admin)',
    tag: 'admin',
    responses: { 200: CategoriesResponse },
  }),
  route({
    id: 'adminCreateCategory',
    method: 'POST',
    path: '/admin/categories',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Add a category, or with `parent` a subcategory of it; its code is fixed for ever and never reused (admin)',
    tag: 'admin',
    body: CreateCategorySchema,
    responses: { 201: CategoriesResponse },
  }),
  route({
    id: 'adminRenameCategory',
    method: 'PUT',
    path: '/admin/categories/{code}',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Rename a category (`labour`) or a subcategory (`labour.wages`); its cases show the new name (admin)',
    tag: 'admin',
    params: CategoryParams,
    body: RenameCategorySchema,
    responses: { 200: CategoriesResponse },
  }),
  route({
    id: 'adminRetireCategory',
    method: 'POST',
    path: '/admin/categories/{code}/retire',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Retire a category or subcategory: it stays on old cases and in reports, no form offers it, registration refuses it (admin)',
    tag: 'admin',
    params: CategoryParams,
    responses: { 200: CategoriesResponse },
  }),
  route({
    id: 'adminListUsers',
    method: 'GET',
    path: '/admin/users',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'The users: display name, login, role, department, phone, enabled (admin)',
    tag: 'admin',
    responses: { 200: z.object({ users: z.array(UserResponse) }) },
  }),
  route({
    id: 'adminCreateUser',
    method: 'POST',
    path: '/admin/users',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Create a user (in AWS: a Cognito invitation; the role is a group, the department custom:deptCode) (admin)',
    tag: 'admin',
    body: CreateUserSchema,
    responses: { 201: UserResponse },
  }),
  route({
    id: 'adminUpdateUser',
    method: 'PUT',
    path: '/admin/users/{username}',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: "Change a user's display name, role, department or phone; effective at their next request (admin)",
    tag: 'admin',
    params: UserParams,
    body: UpdateUserSchema,
    responses: { 200: UserResponse },
  }),
  route({
    id: 'adminDisableUser',
    method: 'POST',
    path: '/admin/users/{username}/disable',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Disable a user: their next request is refused (admin)',
    tag: 'admin',
    params: UserParams,
    responses: { 200: UserResponse },
  }),
  route({
    id: 'adminEnableUser',
    method: 'POST',
    path: '/admin/users/{username}/enable',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Enable a disabled user again (admin)',
    tag: 'admin',
    params: UserParams,
    responses: { 200: UserResponse },
  }),
  route({
    id: 'adminAuditTrail',
    method: 'GET',
    path: '/admin/audit',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'The office-level audit trail of admin changes, newest first: who, when, before → after (hash-chained) (admin)',
    tag: 'admin',
    query: OfficeAuditQuerySchema,
    responses: { 200: OfficeAuditResponse },
  }),
  route({
    id: 'adminVerifyAuditTrail',
    method: 'POST',
    path: '/admin/audit/verifications',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary:
      '立即校验: verify the office trail’s hash chain now, as `npm run audit:verify -- office` does (a Query per page, within the request): the events found intact, or the first that breaks the chain and why; not itself recorded in the trail (admin)',
    tag: 'admin',
    responses: { 200: OfficeAuditVerificationResponse },
  }),
  route({
    id: 'adminGetSettings',
    method: 'GET',
    path: '/admin/settings',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary:
      "The office settings in force (sweep policy, upload limit, retention rules, what the letters print): OFFICE_CONFIG's and the admin's override (admin)",
    tag: 'admin',
    responses: { 200: SettingsResponse },
  }),
  route({
    id: 'adminPutSettings',
    method: 'PUT',
    path: '/admin/settings',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary:
      'Change office settings without a deploy (If-Match: the rev read; 428 without, 409 when stale), each validated by the schema that reads it; in force within directoryCacheSeconds; a new sweep policy re-keys the open clocks; a new case-number prefix from a later year only (admin)',
    tag: 'admin',
    body: SettingsOverrideSchema,
    headers: ['If-Match'],
    responses: { 200: SettingsResponse },
  }),
] as const;
