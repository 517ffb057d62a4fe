import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '@shared/app/views';
import { ApiError } from '../../lib/api';
import { runEach } from '../../lib/run-each';
import { approvalRequest, approveEach, failureText, type ApprovalRequest, type Row } from './bulk';

function row(caseNo: string, version: number, awaiting: Row['awaiting']): Row {
  return { caseNo, version, subject: `事由${caseNo}`, awaiting } as CaseSummary & { awaiting: Row['awaiting'] };
}

const AT = { by: 'u1', at: '2026-09-14T01:00:00Z' };
const proposal = (caseNo: string, version: number) => row(caseNo, version, { kind: 'proposal', ...AT, action: 'accept', deptCode: 'HRSS', reason: '拟受理' });
const extension = (caseNo: string, version: number) => row(caseNo, version, { kind: 'extension', ...AT, days: 20, reason: '需现场核查' });
const reply = (caseNo: string, version: number) => row(caseNo, version, { kind: 'reply', ...AT, outcome: 'support', deptCode: 'HRSS' });

/** A fake API: the case versions it holds; a request with another version is refused as the server does (409 CONFLICT). */
function fakeApi(versions: Record<string, number>) {
  const calls: { caseNo: string; request: ApprovalRequest; version: number }[] = [];
  const post = async (caseNo: string, request: ApprovalRequest, version: number) => {
    calls.push({ caseNo, request, version });
    if (versions[caseNo] !== version) throw new ApiError(409, 'CONFLICT', '案件已被他人更新，请重新加载后再试（已填写的内容仍保留）');
    versions[caseNo] = version + 1;
    return { statusLabel: request.action === 'approve-proposal' ? '已交办' : '已答复' };
  };
  return { post, calls };
}

describe('runEach', () => {
  it('runs every item in order, carrying on past a failure, with progress after each', async () => {
    const progress: number[] = [];
    const results = await runEach(
      [1, 2, 3],
      async (n) => {
        if (n === 2) throw new Error('two');
        return n * 10;
      },
      (done) => progress.push(done),
    );
    expect(progress).toEqual([1, 2, 3]);
    expect(results.map((r) => (r.ok ? r.value : (r.error as Error).message))).toEqual([10, 'two', 30]);
  });
});

describe('approveEach (批量审批)', () => {
  it('sends one request per case with its own version, the shared comment to proposals only, and reports a changed case as failed', async () => {
    const api = fakeApi({ 'XF-1': 3, 'XF-2': 7, 'XF-3': 5, 'XF-4': 2 });
    const progress: number[] = [];
    // XF-2 changed after the list was read: the list says 6, the server holds 7.
    const rows = [proposal('XF-1', 3), proposal('XF-2', 6), extension('XF-3', 5), reply('XF-4', 2)];
    const out = await approveEach(rows, '  同意  ', api.post, (done) => progress.push(done));

    expect(api.calls.map((c) => [c.caseNo, c.request.action, c.version])).toEqual([
      ['XF-1', 'approve-proposal', 3],
      ['XF-2', 'approve-proposal', 6],
      ['XF-3', 'extend', 5],
      ['XF-4', 'approve-reply', 2],
    ]);
    expect(api.calls[0]?.request.body).toEqual({ comment: '同意' });
    expect(api.calls[2]?.request.body).toEqual({ days: 20, reason: '需现场核查' });
    expect(api.calls[3]?.request.body).toEqual({});
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(out.map((o) => [o.caseNo, o.ok])).toEqual([
      ['XF-1', true],
      ['XF-2', false],
      ['XF-3', true],
      ['XF-4', true],
    ]);
    expect(out[1]?.text).toBe('案件已被他人更新，请刷新后重试');
    expect(out[0]?.text).toBe('已批准，案件状态：已交办');
  });

  it('sends no comment when none is given', async () => {
    const api = fakeApi({ 'XF-1': 1 });
    await approveEach([proposal('XF-1', 1)], '   ', api.post, () => undefined);
    expect(api.calls[0]?.request.body).toEqual({});
  });
});

describe('approvalRequest (one row’s 批准)', () => {
  it('uses the typed text as an extension’s reason, else the department’s', () => {
    expect(approvalRequest(extension('XF-1', 1).awaiting, '').body).toEqual({ days: 20, reason: '需现场核查' });
    expect(approvalRequest(extension('XF-1', 1).awaiting, '同意延期').body).toEqual({ days: 20, reason: '同意延期' });
  });
});

describe('failureText', () => {
  it('says in Chinese why an item failed', () => {
    expect(failureText(new ApiError(409, 'CONFLICT', 'x'))).toBe('案件已被他人更新，请刷新后重试');
    expect(failureText(new ApiError(409, 'ILLEGAL_TRANSITION', 'x'))).toMatch(/^案件当前状态已不允许此操作/);
    expect(failureText(new ApiError(400, 'VALIDATION', 'x', [{ field: 'body.routeName', reason: 'must not be empty' }]))).toBe(
      '需在案件页补充后办理：不能为空',
    );
    expect(failureText(new ApiError(0, 'NETWORK', '网络连接失败'))).toBe('网络连接失败');
  });
});
