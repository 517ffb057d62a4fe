/**
 * The action forms against the API's own schemas: for every lifecycle action, a form filled in
 * (with every optional branch shown) becomes a body that the route's schema accepts, and every
 * field the form sends is one the schema knows — so a form can never send a field the API
 * silently drops, or miss one it requires.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildVocabulary } from '@shared/app/vocabulary';
import type { CaseView } from '@shared/app/views';
import { ACTIONS, type Action } from '@shared/domain/actions';
import { parseOfficeSettings } from '@shared/domain/office';
import { ROUTES } from '@shared/http/routes';
import { ACTION_SPECS, fieldOfIssue, initialValues, toBody, visibleFields, type Values } from './specs';

const vocab = buildVocabulary(parseOfficeSettings(undefined));
const at = '2026-06-15T02:00:00.000Z';
const opinion = {
  request: '请求支付拖欠工资',
  facts: '经调查核实，情况属实。',
  decision: '责令于十五日内支付。',
  outcome: 'support',
  legalBasis: '《保障农民工工资支付条例》第三条',
};
const clock = (status: string) => ({ kind: 'handling', status, start: '2026-06-15', due: '2026-08-14', derivation: [] });

/** A case with everything a form may look at: a proposal, an extension request, an answer, clocks, a blocking warning. */
const caseView = {
  caseNo: 'XF-2026-000001',
  version: 4,
  status: 'answered',
  deptCode: 'HRSS',
  warnings: [{ kind: 'matter-in-progress', message: '', caseNos: ['XF-2026-000000'] }],
  proposal: { action: 'decline', route: 'other', reason: '拟不予受理', by: 'clerk1', at },
  extensionRequest: { days: 10, reason: '需现场核查', by: 'hrss1', at },
  answer: { ...opinion, note: '', by: 'hrss1', at },
  clocks: { handling: clock('running'), departmentDue: clock('paused') },
} as unknown as CaseView;

function valueFor(name: string, kind: string, options: { code: string }[]): string {
  if (kind === 'select') return options[0]?.code ?? '';
  if (kind === 'number') return '15';
  if (kind === 'date') return '2026-06-20';
  if (kind === 'checkbox') return 'true';
  if (name.endsWith('legalBasis')) return '《信访工作条例》第三十二条';
  if (name.endsWith('routeName')) return '行政裁决';
  return '经核实，情况属实';
}

/** Every field shown, every checkbox ticked (so the optional branches show), filled in. */
function filled(action: Action, chosen: Values = {}): Values {
  const values: Values = { ...initialValues(action, caseView, '2026-06-20'), ...chosen };
  for (let pass = 0; pass < 3; pass++) {
    for (const f of visibleFields(action, values, caseView)) {
      if (values[f.name]) continue;
      values[f.name] = valueFor(f.name, f.kind, f.options ? f.options(vocab, caseView) : []);
    }
  }
  return values;
}

/** The object keys a schema accepts at each path ('edits.facts'), through defaults and optionals. */
function knownPaths(schema: z.ZodType, prefix = ''): string[] {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodPrefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else break;
  }
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => [`${prefix}${k}`, ...knownPaths(v, `${prefix}${k}.`)]);
}

function sentPaths(body: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(body).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? sentPaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('the action forms send what the API accepts', () => {
  it.each([...ACTIONS])('%s', (action) => {
    expect(ACTION_SPECS[action]).toBeDefined();
    const schema = ROUTES.find((r) => r.id === `action:${action}`)?.body as z.ZodType;
    let body = toBody(action, filled(action), caseView);
    if (action === 'approve-reply') {
      // The director's edits carry only what changed: change one field.
      body = toBody(action, { ...filled(action), 'edits.decision': '责令于十日内支付。' }, caseView);
      expect(body).toEqual({ edits: { decision: '责令于十日内支付。' } });
    }
    // Every choice of every select, so the fields a choice reveals are sent and checked too.
    const bodies = [body];
    for (const f of ACTION_SPECS[action].fields.filter((x) => x.kind === 'select' && x.options)) {
      for (const o of f.options?.(vocab, caseView) ?? [])
        if (action !== 'approve-reply') bodies.push(toBody(action, filled(action, { [f.name]: o.code }), caseView));
    }
    const known = new Set(knownPaths(schema));
    for (const b of bodies) {
      const parsed = schema.safeParse(b);
      expect(parsed.success, `${JSON.stringify(b)}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      for (const path of sentPaths(b)) expect(known, `${action} sends ${path}`).toContain(path);
    }
  });

  it('sends numbers as numbers and leaves empty optional fields out', () => {
    expect(toBody('request-extension', { days: ' 15 ', reason: '需现场核查' }, caseView)).toEqual({ days: 15, reason: '需现场核查' });
    expect(toBody('close', { reason: '' }, caseView)).toEqual({});
    expect(toBody('propose', { action: 'accept', deptCode: '', reason: '属其职责' }, caseView)).toEqual({ action: 'accept', reason: '属其职责' });
  });

  it('puts the API’s field issues next to the field that caused them', () => {
    expect(fieldOfIssue('request-extension', 'body.days')).toBe('days');
    expect(fieldOfIssue('approve-reply', 'body.input.edits.legalBasis')).toBe('edits.legalBasis');
    expect(fieldOfIssue('approve-reply', 'opinion.legalBasis')).toBe('edits.legalBasis');
  });
});
