import { describe, expect, it } from 'vitest';
import { OPEN_STATUSES, STATUSES } from '../../../shared/domain/case';
import { mayLandUpload, mayRequestUpload, WORKING_STATUSES } from '../../../shared/domain/upload-rules';

describe('when files may come to a case', () => {
  it('uses exactly the statuses in which the office still works on the matter', () => {
    expect([...WORKING_STATUSES].sort()).toEqual([...OPEN_STATUSES].sort());
    expect(WORKING_STATUSES.every((s) => (STATUSES as readonly string[]).includes(s))).toBe(true);
  });

  it('issues no link and lands no file once the case is declined, transferred, final, closed or archived', () => {
    for (const status of ['declined', 'transferred', 'final', 'closed', 'archived'] as const) {
      expect(mayRequestUpload({ status }, 'letter'), status).toBe(false);
      expect(mayRequestUpload({ status }, 'response'), status).toBe(false);
      expect(mayLandUpload({ status }), status).toBe(false);
    }
    expect(STATUSES.filter((status) => mayRequestUpload({ status }, 'response'))).toEqual(['assigned']);
    expect(mayRequestUpload({ status: 'registered' }, 'attachment')).toBe(true);
  });
});
