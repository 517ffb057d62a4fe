import { describe, expect, it } from 'vitest';
import { CaseSchema, RegistrationSchema, StatutoryRouteFlagsSchema } from '../../../shared/domain/case';
import { STATUTORY_ROUTES } from '../../../shared/domain/taxonomy';
import { draft, registered } from '../lifecycle/fixtures';

describe('the statutory routes on the wire', () => {
  it('names the registration flags with the route codes a non-acceptance notice uses', () => {
    const flags = Object.keys(StatutoryRouteFlagsSchema.shape);
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) expect(STATUTORY_ROUTES).toContain(flag);
  });

  it('refuses the old flag name at registration instead of dropping it, naming the field', () => {
    const result = RegistrationSchema.safeParse({ ...draft(), statutoryRoute: { court: true } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('statutoryRoute');
  });

  it('reads a case stored with the old flag name as the litigation route', () => {
    const stored = registered();
    const legacy = { ...stored, statutoryRoute: { court: true, arbitration: false, reconsideration: false } };
    expect(CaseSchema.parse(legacy).statutoryRoute).toEqual({ litigation: true, arbitration: false, reconsideration: false });
    expect(CaseSchema.parse(stored).statutoryRoute).toEqual({ litigation: false, arbitration: false, reconsideration: false });
  });
});
