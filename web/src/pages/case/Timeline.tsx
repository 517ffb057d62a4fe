/**
 * The case's timeline (办理过程): the audit trail, newest first by default, each event with its
 * time (Beijing), who did it, what it was and the facts it recorded.
 */
import { useState, type ReactNode } from 'react';
import type { AuditEvent } from '@shared/domain/audit';
import { SYSTEM_ACTORS } from '@shared/domain/system-actors';
import { Button } from '../../components/ui';
import { chineseDate, dateTime } from '../../lib/format';
import { labelOf, useLabels, useVocab } from '../../lib/vocab';
import { usePeople } from '../../lib/people';

const EVENT_LABELS: Record<string, string> = {
  'case.registered': '登记',
  'case.proposed': '拟办',
  'case.accepted': '受理',
  'case.accepted-and-assigned': '受理并交办',
  'case.declined': '不予受理',
  'case.transferred': '转送',
  'case.assigned': '交办',
  'case.reassigned': '改派',
  'case.extension-requested': '申请延期',
  'case.extended': '批准延期',
  'clock.paused': '中止计时',
  'clock.resumed': '恢复计时',
  'case.answered': '承办单位答复',
  'case.returned': '退回重办',
  'case.reply-approved': '审批答复，出具处理意见书',
  'case.delivered': '送达',
  'case.review-requested': '申请复查',
  'case.reviewed': '复查意见送达',
  'case.rereview-requested': '申请复核',
  'case.final': '复核意见送达（终结）',
  'case.closed': '办结',
  'case.rated': '信访人评价',
  'case.archive-eligible': '可以归档',
  'case.archived': '归档',
  'document.upload-requested': '上传材料',
  'document.verified': '材料校验通过',
  'document.quarantined': '材料未通过校验（已隔离）',
  'document.upload-rejected': '拒绝上传（文件已删除）',
  'document.upload-expired': '上传链接过期，未收到文件',
  'document.copy-secured': '材料转存为校验副本',
  'document.downloaded': '查看或下载材料',
  'document.ocr-read': '查看机器识别文本',
  'case.full-text-set': '录入来信全文',
  'case.contact-revealed': '查看信访人联系方式',
  'supervision.opened': '督办',
  'supervision.flagged': '挂牌督办',
  'supervision.answered': '答复督办',
  'supervision.resolved': '督办解除',
  'sweep.overdue': '逾期提醒',
  'sweep.reminder': '到期提醒',
  'archive.file-retrieved': '调阅档案',
  'archive.loan-granted': '借阅档案',
  'archive.fixity-failed': '档案完整性检查未通过',
  'archive.disposal-proposed': '提出销毁鉴定',
  'archive.disposal-approved': '批准销毁',
  'archive.disposed': '销毁',
  'archive.originals-removed': '原件移除',
};

/** The system actors by the names the trail records them under (shared/domain/system-actors.ts). */
const SYSTEM_NAMES: Readonly<Record<string, string>> = SYSTEM_ACTORS;

type Data = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

function useDetails(fileNames: Map<string, string>) {
  const L = useLabels();
  const vocab = useVocab();
  return (e: AuditEvent): ReactNode[] => {
    const d = e.data as Data;
    const out: ReactNode[] = [];
    const add = (k: string, node: ReactNode): void => {
      out.push(<span key={k}>{node}</span>);
    };
    if (str(d.from) && str(d.to) && d.from !== d.to) add('status', `状态：${L.status(str(d.from))} → ${L.status(str(d.to))}`);
    if (str(d.proposal)) add('proposal', `拟办意见：${L.action(str(d.proposal))}`);
    if (str(d.deptCode)) add('dept', `承办单位：${L.department(str(d.deptCode))}`);
    if (str(d.transferTo)) add('transferTo', `转送：${str(d.transferTo)}`);
    if (str(d.route)) add('route', `法定途径：${L.route(str(d.route))}`);
    if (str(d.outcome)) add('outcome', `处理结果：${L.outcome(str(d.outcome))}`);
    if (str(d.clock)) add('clock', `期限：${L.clock(str(d.clock))}`);
    if (str(d.level) && e.type.startsWith('supervision.')) add('level', labelOf(vocab.supervisionLevels, str(d.level)));
    if (str(d.due)) add('due', `届满日：${chineseDate(str(d.due))}`);
    if (typeof d.days === 'number') add('days', `延长 ${d.days} 日`);
    if (str(d.newDue)) add('newDue', `新期限：${chineseDate(str(d.newDue))}`);
    if (str(d.handlingDue)) add('handlingDue', `办理期限：${chineseDate(str(d.handlingDue))}`);
    if (str(d.departmentDue)) add('departmentDue', `承办期限：${chineseDate(str(d.departmentDue))}`);
    if (str(d.notifyDue)) add('notifyDue', `受理告知期限：${chineseDate(str(d.notifyDue))}`);
    if (str(d.deliveredOn)) add('deliveredOn', `送达日期：${chineseDate(str(d.deliveredOn))}`);
    if (str(d.method)) add('method', `送达方式：${L.deliveryMethod(str(d.method))}`);
    if (str(d.reviewRequestDue)) add('reviewRequestDue', `复查申请期限：${chineseDate(str(d.reviewRequestDue))}`);
    if (str(d.requestedOn)) add('requestedOn', `申请日期：${chineseDate(str(d.requestedOn))}`);
    if (str(d.rating)) add('rating', `评价：${L.rating(str(d.rating))}`);
    const fileName = str(d.fileName) ?? (str(d.documentId) && e.type.startsWith('document.') ? fileNames.get(str(d.documentId) ?? '') : undefined);
    if (fileName) add('fileName', `文件：${fileName}${str(d.kind) ? `（${L.documentKind(str(d.kind))}）` : ''}`);
    else if (str(d.kind) && e.type.startsWith('document.')) add('kind', `类型：${L.documentKind(str(d.kind))}`);
    if (typeof d.documents === 'number' && d.documents > 0) add('documents', `扫描件 ${d.documents} 份`);
    for (const k of ['reason', 'comment', 'note', 'summary', 'resolution']) {
      if (str(d[k]))
        add(
          k,
          `${{ reason: ['document.quarantined', 'document.upload-rejected', 'document.upload-expired'].includes(e.type) ? '原因' : '理由', comment: '意见', note: '备注', summary: '摘要', resolution: '原因' }[k]}：${str(d[k])}`,
        );
    }
    const letters = Array.isArray(d.letters) ? (d.letters as Data[]) : d.letter && typeof d.letter === 'object' ? [d.letter as Data] : [];
    if (letters.length > 0) {
      add(
        'letters',
        `文书：${letters.map((l) => [str(l.letterKind) ? L.letterType(str(l.letterKind)) : '', str(l.documentNo)].filter(Boolean).join(' ') || '督办单').join('、')}`,
      );
    }
    return out;
  };
}

function actorOf(e: AuditEvent, L: ReturnType<typeof useLabels>, person: (u: string | undefined) => string): string {
  const a = e.actor as { username?: string; roles?: string[]; deptCode?: string; system?: string; public?: boolean };
  if (a.system) return `系统（${SYSTEM_NAMES[a.system] ?? a.system}）`;
  if (a.public) return '信访人（公开查询）';
  const who = a.deptCode ? L.department(a.deptCode) : (a.roles ?? []).map((r) => L.role(r)).join('、');
  return `${person(a.username)}${who ? `（${who}）` : ''}`;
}

export function Timeline({ events, documents = [] }: { events: AuditEvent[]; documents?: { documentId: string; fileName: string }[] }) {
  const person = usePeople();
  const L = useLabels();
  const details = useDetails(new Map(documents.map((d) => [d.documentId, d.fileName])));
  const [newestFirst, setNewestFirst] = useState(true);
  const [showReads, setShowReads] = useState(true);
  const isRead = (type: string) => type === 'document.downloaded' || type === 'document.ocr-read';
  const reads = events.filter((e) => isRead(e.type)).length;
  const list = events.filter((e) => showReads || !isRead(e.type)).sort((a, b) => (newestFirst ? b.seq - a.seq : a.seq - b.seq));
  return (
    <div>
      <div className="row" style={{ marginBottom: 10 }}>
        <Button variant="link" onClick={() => setNewestFirst((v) => !v)} aria-pressed={!newestFirst}>
          {newestFirst ? '按时间正序显示' : '按时间倒序显示'}
        </Button>
        {reads > 0 ? (
          <Button variant="link" onClick={() => setShowReads((v) => !v)} aria-pressed={showReads}>
            {showReads ? '隐藏查看/下载记录' : `显示查看/下载记录（${reads}）`}
          </Button>
        ) : null}
      </div>
      {list.length === 0 ? (
        <p className="muted">暂无记录。</p>
      ) : (
        <ol className="timeline" aria-label="办理过程">
          {list.map((e) => {
            const det = details(e);
            return (
              <li key={e.seq} className={`ev-${e.type.split('.')[0]}`} data-event-type={e.type}>
                <div className="ev-head">
                  <span className="ev-label">{EVENT_LABELS[e.type] ?? e.type}</span>
                  <time className="ev-time" dateTime={e.at}>
                    {dateTime(e.at)}
                  </time>
                  <span className="ev-actor">{actorOf(e, L, person)}</span>
                </div>
                {det.length > 0 ? <div className="ev-details">{det}</div> : null}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
