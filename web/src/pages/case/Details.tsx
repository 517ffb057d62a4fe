/**
 * What the case is about (基本信息) and how it has been handled so far (办理情况: proposal,
 * decision, extension, the department's answer, the reply, delivery, review, rating).
 */
import { useState, type ReactNode } from 'react';
import type { ContactDetails } from '@shared/app/registry';
import type { CaseView } from '@shared/app/views';
import { contactRevealRefusal } from '@shared/domain/contact-rules';
import { Button, ErrorBanner } from '../../components/ui';
import { api, casePath } from '../../lib/api';
import type { Actor } from '../../lib/auth';
import { chineseDate, dateTime } from '../../lib/format';
import { caseLink, Link } from '../../lib/router';
import { labelOf, useLabels, useVocab } from '../../lib/vocab';
import { usePeople } from '../../lib/people';

type Opinion = NonNullable<CaseView['answer']> | NonNullable<CaseView['reply']>;

const PROPOSAL: Record<string, string> = { accept: '受理', decline: '不予受理', transfer: '转送' };

function Fact({ label, children }: { label: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '' || children === false) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * The petitioners, as the API shows them to this user (masked for a department). The department
 * handling the case may reveal the full ID number, phone and address (显示联系方式; not on an
 * accusation): each reveal is recorded in the timeline (`onAudited` refreshes it).
 */
function Petitioners({ c, user, onAudited }: { c: CaseView; user?: Actor; onAudited?: () => void }) {
  const [revealed, setRevealed] = useState<{ caseNo: string; petitioners: ContactDetails[] } | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const shown = revealed?.caseNo === c.caseNo ? revealed.petitioners : c.petitioners;
  const masked = c.petitioners.some((p) => p.idNumber || p.phone || p.address);
  const mayReveal = user !== undefined && masked && contactRevealRefusal(user, c) === null && revealed?.caseNo !== c.caseNo;

  async function reveal(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.get<{ caseNo: string; petitioners: ContactDetails[] }>(casePath(c.caseNo, 'contact'));
      setRevealed(r.data);
      onAudited?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ul className="person-list">
        {shown.map((p, i) => (
          <li key={i}>
            {p.name}
            <span className="muted">{[p.idNumber && `身份证 ${p.idNumber}`, p.phone && `电话 ${p.phone}`, p.address].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
      {mayReveal ? (
        <Button variant="link" onClick={() => void reveal()} busy={busy} title="查看完整的身份证号、电话和住址（将记入办理记录）">
          显示联系方式
        </Button>
      ) : null}
      {revealed?.caseNo === c.caseNo ? <span className="muted contact-note">已显示完整联系方式（已记入办理记录）</span> : null}
      <ErrorBanner error={error} />
    </>
  );
}

export function BasicInfo({ c, user, onAudited }: { c: CaseView; user?: Actor; onAudited?: () => void }) {
  const L = useLabels();
  const vocab = useVocab();
  const flags = [
    { on: c.statutoryRoute.litigation, label: '已由法院受理' },
    { on: c.statutoryRoute.arbitration, label: '已由仲裁机构受理' },
    { on: c.statutoryRoute.reconsideration, label: '已由行政复议机关受理' },
  ];
  return (
    <dl className="facts">
      <Fact label="信访人">
        <Petitioners c={c} user={user} onAudited={onAudited} />
      </Fact>
      <Fact label="人数">
        {c.persons} 人{c.collective ? '（集体访）' : ''}
        {c.representatives.length > 0 ? `，代表：${c.representatives.join('、')}` : ''}
      </Fact>
      <Fact label="信访形式">
        {L.channel(c.channel.type)}
        {c.channel.type === 'referral'
          ? `（${c.channel.fromOrgan}，${c.channel.reference}${c.channel.deadline ? `，要求${chineseDate(c.channel.deadline)}前办结` : ''}）`
          : ''}
      </Fact>
      <Fact label="事项类型">{L.itemType(c.itemType)}</Fact>
      <Fact label="问题类别">{L.category(c.category, c.subcategory)}</Fact>
      <Fact label="问题属地">{c.locality ? labelOf(vocab.localities, c.locality) : undefined}</Fact>
      <Fact label="信访层级">{c.level ? labelOf(vocab.petitionLevels, c.level) : undefined}</Fact>
      <Fact label="被反映单位">{c.accusedUnits.length > 0 ? c.accusedUnits.map((u) => u.name).join('、') : undefined}</Fact>
      <Fact label="收到日期">{chineseDate(c.receivedOn)}</Fact>
      <Fact label="初信初访">
        {c.firstTime ? '是' : '否'}
        {c.repeatOf ? (
          <>
            ，重复件（原件 <Link to={caseLink(c.repeatOf)}>{c.repeatOf}</Link>）
          </>
        ) : null}
      </Fact>
      <Fact label="法定途径">
        {flags.some((f) => f.on) ? (
          <span className="flags">
            {flags
              .filter((f) => f.on)
              .map((f) => (
                <span key={f.label} className="flag flag-on">
                  ✓ {f.label}
                </span>
              ))}
          </span>
        ) : (
          <span className="muted">未经法院、仲裁或行政复议受理</span>
        )}
      </Fact>
      <Fact label="内容摘要">
        <p className="summary-text">{c.summary}</p>
      </Fact>
      <Fact label="全文">{c.fullText ? <p className="summary-text">{c.fullText}</p> : undefined}</Fact>
      <Fact label="登记提示">{c.warnings.length > 0 ? c.warnings.map((w) => w.message).join('；') : undefined}</Fact>
    </dl>
  );
}

function OpinionBlock({ title, o }: { title: string; o: Opinion }) {
  const L = useLabels();
  const person = usePeople();
  return (
    <div className="opinion">
      <h3>
        {title} <span className="badge">{L.outcome(o.outcome)}</span>{' '}
        <span className="muted" style={{ fontSize: 13, fontWeight: 400 }}>
          {person(o.by)} · {dateTime(o.at)}
        </span>
      </h3>
      <dl className="facts">
        <Fact label="信访请求">{o.request}</Fact>
        <Fact label="调查核实">{o.facts}</Fact>
        <Fact label="处理意见">{o.decision}</Fact>
        <Fact label="法律依据">{o.legalBasis}</Fact>
        <Fact label="备注">{'note' in o ? o.note : undefined}</Fact>
      </dl>
    </div>
  );
}

/** True when there is anything to show in 办理情况. */
export function hasHandling(c: CaseView): boolean {
  return Boolean(
    c.proposal ||
    c.decision ||
    c.extensionRequest ||
    c.extension ||
    c.returns.length ||
    c.answer ||
    c.reply ||
    c.delivery ||
    c.review ||
    c.rereview ||
    c.rating ||
    c.closed,
  );
}

export function Handling({ c }: { c: CaseView }) {
  const L = useLabels();
  const person = usePeople();
  return (
    <div>
      <dl className="facts">
        <Fact label="拟办意见">
          {c.proposal ? (
            <>
              {PROPOSAL[c.proposal.action]}
              {c.proposal.deptCode ? `，交 ${L.department(c.proposal.deptCode)} 办理` : ''}
              {c.proposal.transferTo ? `，转送 ${c.proposal.transferTo}` : ''}
              {c.proposal.route ? `，${L.route(c.proposal.route)}` : ''}；{c.proposal.reason}
              <span className="muted">
                （{person(c.proposal.by)}，{dateTime(c.proposal.at)}）
              </span>
            </>
          ) : undefined}
        </Fact>
        <Fact label="批办决定">
          {c.decision ? (
            <>
              {PROPOSAL[c.decision.action]}
              {c.decision.transferTo ? `，转送 ${c.decision.transferTo}` : ''}
              {c.decision.route ? `，${L.route(c.decision.route)}${c.decision.routeOrgan ? `（${c.decision.routeOrgan}）` : ''}` : ''}
              {/* The director's own words: the comment when approving a proposal (the reason is then the clerk's, shown under 拟办意见). */}
              {c.decision.comment ? `；${c.decision.comment}` : c.decision.reason && c.decision.reason !== c.proposal?.reason ? `；${c.decision.reason}` : ''}
              <span className="muted">
                （{person(c.decision.by)}，{dateTime(c.decision.at)}）
              </span>
            </>
          ) : undefined}
        </Fact>
        <Fact label="延期申请">
          {c.extensionRequest
            ? `申请延长 ${c.extensionRequest.days} 日：${c.extensionRequest.reason}（${person(c.extensionRequest.by)}，${dateTime(c.extensionRequest.at)}）`
            : undefined}
        </Fact>
        <Fact label="延期">{c.extension ? `已延长 ${c.extension.days} 日至 ${chineseDate(c.extension.newDue)}：${c.extension.reason}` : undefined}</Fact>
        <Fact label="退回重办">
          {c.returns.length > 0 ? (
            <ul className="person-list">
              {c.returns.map((r) => (
                <li key={r.at}>
                  {r.comment}
                  <span className="muted">
                    （{person(r.by)}，{dateTime(r.at)}）
                  </span>
                </li>
              ))}
            </ul>
          ) : undefined}
        </Fact>
        <Fact label="送达">{c.delivery ? `${chineseDate(c.delivery.deliveredOn)}，${L.deliveryMethod(c.delivery.method)}` : undefined}</Fact>
        <Fact label="复查">
          {c.review
            ? `${chineseDate(c.review.requestedOn)}申请${c.review.organ ? `（${c.review.organ}）` : ''}${c.review.opinion ? `；${L.outcome(c.review.opinion.outcome)}：${c.review.opinion.summary}` : ''}`
            : undefined}
        </Fact>
        <Fact label="复核">
          {c.rereview
            ? `${chineseDate(c.rereview.requestedOn)}申请${c.rereview.organ ? `（${c.rereview.organ}）` : ''}${c.rereview.opinion ? `；${L.outcome(c.rereview.opinion.outcome)}：${c.rereview.opinion.summary}` : ''}`
            : undefined}
        </Fact>
        <Fact label="信访人评价">{c.rating ? `${L.rating(c.rating.value)}${c.rating.comment ? `：${c.rating.comment}` : ''}` : undefined}</Fact>
        <Fact label="办结">{c.closed ? `${c.closed.reason}（${dateTime(c.closed.at)}）` : undefined}</Fact>
      </dl>
      {c.reply ? <OpinionBlock title="信访事项处理意见" o={c.reply} /> : null}
      {c.answer && !c.reply ? <OpinionBlock title="承办单位答复" o={c.answer} /> : null}
      {c.answer && c.reply ? <OpinionBlock title="承办单位答复（原稿）" o={c.answer} /> : null}
    </div>
  );
}
