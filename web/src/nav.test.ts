import { describe, expect, it } from 'vitest';
import { homeOf, navFor } from './nav';

describe('the navigation of each role', () => {
  it('offers admin the configuration only: no case screen (DESIGN §1)', () => {
    // Act
    const admin = navFor(['admin']).map((n) => n.to);
    // Assess
    expect(admin).toEqual(['/admin', '/admin/settings', '/admin/calendar', '/admin/departments', '/admin/categories', '/admin/users', '/admin/audit']);
    expect(homeOf(['admin'])).toBe('/admin');
  });

  it('offers the roles that read cases their case screens', () => {
    expect(navFor(['clerk']).map((n) => n.to)).toEqual(['/dashboard', '/register', '/online-queue', '/search', '/reports']);
    expect(navFor(['department']).map((n) => n.to)).toEqual(['/dashboard', '/inbox', '/search', '/reports']);
    expect(homeOf(['department'])).toBe('/inbox');
  });
});
