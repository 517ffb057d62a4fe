/**
 * The case's clocks (期限): label, start, due date, days left, paused or stopped. Each due date
 * shows how it was computed (the clock's derivation) on hover — as a title — and in a popover
 * that also opens on keyboard focus (role="tooltip", tied with aria-describedby).
 */
import { useId, useState, type KeyboardEvent } from 'react';
import type { ClockState } from '@shared/domain/clocks';
import { DaysLeft } from '../../components/ui';
import { chineseDate } from '../../lib/format';
import { useLabels, useVocab } from '../../lib/vocab';
import { daysBetween, todayInBeijing } from '../../lib/format';

const SOURCE: Record<string, string> = { statute: '法定期限', policy: '本机关规定', override: '指定期限' };

function unitText(unit: string): string {
  return unit === 'workingDays' ? '个工作日' : '日';
}

/** The derivation as lines of Chinese, for the tooltip and the popover. */
export function derivationLines(clock: ClockState): string[] {
  const d = clock.derivation;
  const lines: string[] = [];
  const source = d.lengthSource ? SOURCE[d.lengthSource] : undefined;
  if (d.article) lines.push(`依据：${d.article}${source && source !== d.article ? `（${source}）` : ''}`);
  if (d.handlingDue) {
    lines.push(`由法定办理期限届满日 ${d.handlingDue} 提前 ${d.length} 日${d.leadApplied === false ? '（交办过晚，无法保留提前量）' : ''}`);
  } else {
    lines.push(
      `自 ${d.start} 起算${d.startDayCounted ? '（起算日计入）' : '（起算日不计入）'}，${d.length}${unitText(d.unit)}${d.extendedBy ? `（含延长 ${d.extendedBy} 日）` : ''}`,
    );
  }
  if (d.pausedDays > 0 || d.pauses.length > 0) {
    lines.push(`中止计时 ${d.pausedDays} 日：${d.pauses.map((p) => `${p.from}至${p.to ?? '今'}（${p.reason}）`).join('；')}`);
  }
  if (d.rawDue !== d.due) {
    lines.push(`计算届满日 ${d.rawDue}，遇休息日${d.roll === 'backward' ? '向前' : '顺延'}调整`);
  }
  if (d.holidaysSkipped.length > 0)
    lines.push(`${d.unit === 'workingDays' ? '不计入的休息日、节假日' : '跨越的休息日、节假日'}：${d.holidaysSkipped.join('、')}`);
  if (d.makeupWorkdays.length > 0) lines.push(`调休工作日：${d.makeupWorkdays.join('、')}`);
  if (d.provisionalYears && d.provisionalYears.length > 0) lines.push(`${d.provisionalYears.join('、')}年节假日安排尚未公布，届满日暂定`);
  lines.push(`届满日：${d.due}`);
  return lines;
}

function DerivationTip({ clock }: { clock: ClockState }) {
  const id = useId();
  const [hidden, setHidden] = useState(false);
  const lines = derivationLines(clock);
  const title = [clock.derivation.explanation, ...lines].join('\n');
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') setHidden(true);
  };
  return (
    <span className="tip" onMouseEnter={() => setHidden(false)} onFocus={() => setHidden(false)}>
      <button type="button" className="tip-trigger" aria-describedby={id} title={title} onKeyDown={onKey} data-testid={`clock-due-${clock.kind}`}>
        {chineseDate(clock.due)}
      </button>
      <span role="tooltip" id={id} className={`tip-body ${hidden ? 'tip-hidden' : ''}`}>
        <strong>{clock.derivation.explanation}</strong>
        <ul>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </span>
    </span>
  );
}

function stateOf(clock: ClockState): { label: string; cls: string } {
  if (clock.status === 'paused') return { label: '已中止', cls: 'clock-state-paused' };
  if (clock.status === 'stopped') return { label: '已停止', cls: '' };
  return { label: '计时中', cls: '' };
}

export function Clocks({ clocks }: { clocks: Record<string, ClockState> }) {
  const vocab = useVocab();
  const L = useLabels();
  const today = todayInBeijing();
  const order = vocab.clocks.map((c) => c.code);
  const list = Object.values(clocks).sort((a, b) => {
    // Running clocks first, then in the lifecycle's order.
    const run = Number(a.status === 'stopped') - Number(b.status === 'stopped');
    return run !== 0 ? run : order.indexOf(a.kind) - order.indexOf(b.kind);
  });
  if (list.length === 0) return <p className="muted">尚无计时的期限。</p>;
  return (
    <ul className="clocks" aria-label="期限">
      {list.map((clock) => {
        const openPause = clock.pauses.find((p) => p.to === undefined);
        const asOf = clock.status === 'paused' ? (openPause?.from ?? today) : clock.status === 'stopped' ? (clock.stoppedOn ?? today) : today;
        const days = daysBetween(asOf, clock.due);
        const state = stateOf(clock);
        return (
          <li key={clock.kind} className={`clock clock-${clock.status}`} data-clock={clock.kind}>
            <div className="clock-top">
              <span className="clock-label">{L.clock(clock.kind)}</span>
              <DerivationTip clock={clock} />
            </div>
            <div className="clock-dates">
              <span>起算 {chineseDate(clock.startedOn)}</span>
              {clock.extendedBy ? <span>已延长 {clock.extendedBy} 日</span> : null}
              <span className={`clock-state ${state.cls}`}>{state.label}</span>
              {clock.status === 'running' ? (
                <DaysLeft days={days} />
              ) : clock.status === 'paused' ? (
                <span>
                  自 {chineseDate(openPause?.from)} 中止（{openPause?.reason}），冻结时 <DaysLeft days={days} />
                </span>
              ) : (
                <span>
                  {chineseDate(clock.stoppedOn)}停止{days < 0 ? `，超期 ${-days} 天` : ''}
                </span>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
