/**
 * 操作记录 (#/admin/audit, admin): the office-level audit trail of every admin change, newest
 * first: who, when, what, before → after (GET /admin/audit). The trail is hash-chained; 立即校验
 * verifies the chain now (POST /admin/audit/verifications, the check `npm run audit:verify --
 * office` runs) and says in Chinese whether it is intact or which record breaks it (docs/admin.md).
 */
import { useState } from 'react';
import type { OfficeAuditView } from '@shared/app/directory';
import type { OfficeAuditVerification } from '@shared/app/office-audit';
import { api } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { useLabels } from '../../lib/vocab';
import { Button, Card, Empty, ErrorBanner, Loading, Notice, Page, Table } from '../../components/ui';
import { verificationText } from './audit-verify-text';
import { SETTING_LABELS } from './settings-form';

const TYPE_TEXT: Record<string, string> = {
  'department.created': '添加部门',
  'department.renamed': '部门更名',
  'department.retired': '撤销部门',
  'user.created': '创建用户',
  'user.changed': '修改用户',
  'user.disabled': '停用用户',
  'user.enabled': '启用用户',
  'template.changed': '修改文书模板',
  'template.restored': '恢复默认文书模板',
  'category.created': '添加问题类别',
  'category.renamed': '问题类别更名',
  'category.retired': '停用问题类别',
  'calendar.loaded': '录入节假日安排',
  'settings.changed': '修改系统设置',
  'report.exported': '导出统计报表',
  'cases.exported': '导出案件清单',
};

const FORMAT_TEXT: Record<string, string> = { xlsx: 'Excel（XLSX）', csv: 'CSV', pdf: 'PDF' };
const LIST_TEXT: Record<string, string> = { search: '案件查询', inbox: '待办案件', drilldown: '统计明细' };
/** The filters of an exported list (GET /exports/cases), as 案件查询 names them. */
const FILTER_TEXT: Record<string, string> = {
  q: '关键词',
  status: '状态',
  channel: '信访形式',
  awaiting: '待审批事项',
  deptCode: '承办单位',
  category: '问题类别',
  dueBefore: '期限截至',
  receivedFrom: '收到日期自',
  receivedTo: '收到日期至',
  caseNo: '案件编号',
  petitionerName: '信访人',
  petitionerIdNumber: '证件号码',
  petitionerPhone: '联系电话',
};

const FIELD_TEXT: Record<string, string> = {
  name: '名称',
  displayName: '姓名',
  role: '角色',
  deptCode: '部门',
  phone: '电话',
  email: '邮箱',
  enabled: '启用',
  retired: '撤销',
  username: '登录名',
  ...SETTING_LABELS,
};

type Json = OfficeAuditView['data'][string];
type Labels = ReturnType<typeof useLabels>;

function show(v: Json | undefined, key: string, L: Labels): string {
  if (v === null || v === undefined) return '—';
  if (key === 'role' && typeof v === 'string') return L.role(v);
  if (key === 'deptCode' && typeof v === 'string') return `${L.department(v)}（${v}）`;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return v.length > 60 ? `${v.slice(0, 60)}…` : v;
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object') ? v.join('、') : `${v.length} 项`;
  if (typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${FIELD_TEXT[k] ?? k}：${show(x, k, L)}`)
      .join('；');
  return String(v);
}

const isRecord = (v: Json | undefined): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What was exported (report.exported, cases.exported): the period or the list, the format, the filters. */
function exported(type: string, data: OfficeAuditView['data'], L: Labels): string[] | undefined {
  if (type === 'report.exported') {
    return [
      `${show(data.periodLabel ?? data.period, '', L)}（${show(data.scope, '', L)}）`,
      `格式：${FORMAT_TEXT[String(data.format)] ?? show(data.format, '', L)}`,
    ];
  }
  if (type === 'cases.exported') {
    const filters = isRecord(data.filters) ? Object.entries(data.filters) : [];
    return [
      `${LIST_TEXT[String(data.list)] ?? show(data.list, '', L)}，${show(data.rows, '', L)}件`,
      ...(filters.length > 0 ? [`条件：${filters.map(([k, v]) => `${FILTER_TEXT[k] ?? k}：${show(v, k, L)}`).join('；')}`] : []),
    ];
  }
  return undefined;
}

/** What an event changed, as 字段：前 → 后 lines; `login`: the line shows a login (登录名), meant as one. */
function changes(data: OfficeAuditView['data'], L: Labels): { text: string; login: boolean }[] {
  const out: { text: string; login: boolean }[] = [];
  const pairs: [string, Json | undefined, Json | undefined][] = [];
  if (isRecord(data.changes)) {
    for (const [k, v] of Object.entries(data.changes)) if (isRecord(v)) pairs.push([k, v.before, v.after]);
  } else if (isRecord(data.before) || isRecord(data.after)) {
    const before = isRecord(data.before) ? data.before : {};
    const after = isRecord(data.after) ? data.after : {};
    for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])]) pairs.push([k, before[k], after[k]]);
  } else if ('before' in data || 'after' in data) {
    pairs.push(['', data.before, data.after]);
  }
  for (const [k, b, a] of pairs) {
    const label = k ? `${FIELD_TEXT[k] ?? k}：` : '';
    out.push({ text: b === undefined || b === null ? `${label}${show(a, k, L)}` : `${label}${show(b, k, L)} → ${show(a, k, L)}`, login: k === 'username' });
  }
  return out;
}

/** What the event is about: a department's code, a template type, a year, or a user's login (a login meant as one). */
function Subject({ data }: { data: OfficeAuditView['data'] }) {
  const subject = data.code ?? data.type ?? data.year;
  if (subject !== undefined) return <div>{String(subject)}</div>;
  if (data.username !== undefined) return <div data-login>{String(data.username)}</div>;
  return null;
}

/** 立即校验: the trail's hash chain verified now; the answer stays until the next check. */
function VerifyNow() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<OfficeAuditVerification>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult((await api.post<OfficeAuditVerification>('/admin/audit/verifications', {})).data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="校验操作记录">
      {result ? <Notice kind={result.ok ? 'success' : 'warn'}>{verificationText(result)}</Notice> : null}
      <ErrorBanner error={error} />
      <div className="form-actions">
        <Button variant="primary" busy={busy} onClick={() => void run()}>
          立即校验
        </Button>
      </div>
    </Card>
  );
}

export default function AdminAudit(_props: PageProps) {
  const [before, setBefore] = useState<number | undefined>();
  const L = useLabels();
  const page = useLoad(
    (signal) => api.get<{ events: OfficeAuditView[]; next?: number }>('/admin/audit', { signal, query: { limit: 50, before } }).then((r) => r.data),
    [before],
  );
  return (
    <Page title="操作记录">
      <p className="archive-help">
        系统管理员的每一项配置变更（部门、问题类别、用户、文书模板、节假日安排、系统设置）以及统计报表和案件清单的每一次导出都记入本机关的操作记录：谁、何时、变更前后或导出的内容。记录逐条以哈希值首尾相接，任何一条被改动、删除或插入都会使链条断开；点“立即校验”即可检查。
      </p>
      <VerifyNow />
      <ErrorBanner error={page.error} />
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && page.data.events.length === 0 ? <Empty>尚无操作记录</Empty> : null}
      {page.data && page.data.events.length > 0 ? (
        <Card title="操作记录（最新在前）">
          <Table head={['序号', '时间', '操作人', '操作', '内容（变更前 → 变更后）']}>
            {page.data.events.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{dateTime(e.at)}</td>
                <td>{'displayName' in e.actor ? e.actor.displayName : '系统'}</td>
                <td>{TYPE_TEXT[e.type] ?? e.type}</td>
                <td>
                  {exported(e.type, e.data, L)?.map((line, i) => <div key={i}>{line}</div>) ?? (
                    <>
                      <Subject data={e.data} />
                      {changes(e.data, L).map((line, i) =>
                        line.login ? (
                          <div key={i} data-login>
                            {line.text}
                          </div>
                        ) : (
                          <div key={i}>{line.text}</div>
                        ),
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </Table>
          <div className="form-actions">
            {before !== undefined ? (
              <Button variant="link" onClick={() => setBefore(undefined)}>
                回到最新
              </Button>
            ) : null}
            {page.data.next !== undefined ? (
              <Button variant="link" onClick={() => setBefore(page.data?.next)}>
                更早的记录
              </Button>
            ) : null}
          </div>
        </Card>
      ) : null}
    </Page>
  );
}
