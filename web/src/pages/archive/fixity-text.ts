/** The words of 立即检查 (fixity-check.tsx), kept apart from the API so they are unit-tested. */
import type { FixityReportRecord } from '@shared/app/archive-ports';

/** The archive or case numbers typed into one box: separated by spaces, commas or 、, duplicates dropped. */
export function parseRefs(text: string): string[] {
  return [...new Set(text.split(/[\s,，、;；]+/).filter((r) => r.length > 0))];
}

/** What a finished check says, in one sentence. */
export function checkVerdict(r: Pick<FixityReportRecord, 'packages' | 'files' | 'problems' | 'state' | 'notFound'>): string {
  const parts = [`已检查 ${r.packages} 件档案、${r.files} 个文件`];
  parts.push(r.problems > 0 ? `发现 ${r.problems} 个问题（文件缺失或被改动），已记入案件审计记录` : '未发现问题');
  if (r.notFound && r.notFound.length > 0) parts.push(`未找到档案：${r.notFound.join('、')}`);
  if (r.state === 'incomplete') parts.push('时间所限未能全部检查，请分批再查');
  return `${parts.join('；')}。`;
}
