import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../../shared/domain/case';
import { withheldActions } from '../../../../shared/domain/lifecycle';
import type { Actor } from '../../../../shared/domain/roles';
import { Withheld } from './Withheld';

const clerk: Actor = { userId: 'u1', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };

describe('a withheld action on the case page', () => {
  it('shows why 办结 is not offered on a delivered case, with the date in Chinese', () => {
    // A delivered case whose review window (Art. 35) ends on 2027-01-05.
    const delivered = {
      status: 'delivered',
      deptCode: 'HRSS',
      clocks: { reviewRequestWindow: { kind: 'reviewRequestWindow', status: 'running', startedOn: '2026-12-06', due: '2027-01-05', pauses: [] } },
    } as unknown as Case;
    const withheld = withheldActions(delivered, clerk, '2026-12-20');
    const html = renderToStaticMarkup(createElement(Withheld, { items: withheld }));
    expect(html).toContain('复查申请期限至2027年1月5日届满后可办结');
    expect(html).toContain('data-action="close"');
  });

  it('shows nothing when nothing is held back', () => {
    expect(renderToStaticMarkup(createElement(Withheld, { items: [] }))).toBe('');
  });
});
