/**
 * The navigation of each role, and where each lands after signing in. Plain data (no React), so
 * it is tested on its own: admin configures the office and is offered no case screen (DESIGN §1).
 */
import type { Session } from './lib/auth';

export type Role = Session['user']['roles'][number];

/** Every role that reads cases: not admin. */
export const CASE_READERS: Role[] = ['clerk', 'director', 'department', 'archivist'];

export interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

export const NAV: NavItem[] = [
  { to: '/dashboard', label: '工作台', roles: CASE_READERS },
  { to: '/register', label: '登记', roles: ['clerk'] },
  { to: '/online-queue', label: '网上信访', roles: ['clerk'] },
  { to: '/approvals', label: '待审批', roles: ['director'] },
  { to: '/inbox', label: '待办案件', roles: ['department'] },
  { to: '/search', label: '案件查询', roles: CASE_READERS },
  { to: '/reports', label: '统计分析', roles: ['clerk', 'director', 'department'] },
  { to: '/archive', label: '档案检索', roles: ['archivist'] },
  { to: '/archive/pending', label: '待归档', roles: ['archivist'] },
  { to: '/archive/disposal', label: '到期鉴定', roles: ['archivist', 'director'] },
  { to: '/archive/fixity', label: '完整性检查', roles: ['archivist'] },
  { to: '/admin', label: '信函模板', roles: ['admin'] },
  { to: '/admin/settings', label: '系统设置', roles: ['admin'] },
  { to: '/admin/calendar', label: '节假日日历', roles: ['admin'] },
  { to: '/admin/departments', label: '部门管理', roles: ['admin'] },
  { to: '/admin/categories', label: '分类管理', roles: ['admin'] },
  { to: '/admin/users', label: '用户管理', roles: ['admin'] },
  { to: '/admin/audit', label: '操作记录', roles: ['admin'] },
];

/** Where a user lands after signing in. */
export function homeOf(roles: Role[]): string {
  if (roles.includes('department')) return '/inbox';
  if (roles.includes('director')) return '/approvals';
  if (roles.includes('clerk')) return '/dashboard';
  if (roles.includes('archivist')) return '/archive';
  if (roles.includes('admin')) return '/admin';
  return '/dashboard';
}

/** The navigation a user with these roles sees. */
export function navFor(roles: Role[]): NavItem[] {
  return NAV.filter((n) => n.roles.some((r) => roles.includes(r)));
}
