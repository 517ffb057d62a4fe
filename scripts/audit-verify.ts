/**
 * `npm run audit:verify -- <caseNo> [<caseNo> ...]`: re-reads each case's audit events exactly as
 * stored and checks the hash chain against the head kept on the case. `office` names the
 * office-level trail of admin changes (departments, users, templates, calendar, settings), checked
 * as the admin's 立即校验 on 操作记录 checks it (shared/app/office-audit.ts).
 * Exits 1 when any chain is broken, naming the event where it breaks.
 */
import { useRunningStackEnv } from '../local/connect';

const caseNos = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (caseNos.length === 0) {
  console.error('usage: npm run audit:verify -- <caseNo|office> [<caseNo> ...]');
  process.exit(2);
}
useRunningStackEnv();
const { verifyCaseAudit } = await import('../shared/adapters/audit-verify');
const { verifyOfficeTrail } = await import('../shared/app/office-audit');
const { getTokenlessRuntime } = await import('../functions/common/runtime');
const { officeDirectory } = await import('../functions/common/office');
const { repo } = await getTokenlessRuntime();

/** One chain's outcome: the events verified, and where it breaks if it does. */
async function verify(caseNo: string): Promise<{ count: number; broken?: { at?: number; reason: string } }> {
  const office = caseNo.toLowerCase() === 'office' ? officeDirectory() : undefined;
  if (office) {
    const r = await verifyOfficeTrail(office.store, new Date().toISOString());
    return { count: r.entries, ...(r.firstBroken ? { broken: { at: r.firstBroken.seq, reason: r.firstBroken.reason } } : {}) };
  }
  const r = await verifyCaseAudit(repo, caseNo);
  return { count: r.count, ...(r.ok ? {} : { broken: { ...(r.brokenAt !== undefined ? { at: r.brokenAt } : {}), reason: r.reason } }) };
}

let broken = 0;
for (const caseNo of caseNos) {
  const result = await verify(caseNo);
  if (!result.broken) console.log(`${caseNo}: OK, ${result.count} events, chain intact`);
  else {
    broken += 1;
    console.log(`${caseNo}: BROKEN at event ${result.broken.at ?? '?'} (${result.broken.reason}); ${result.count} events verified before it`);
  }
}
process.exit(broken > 0 ? 1 : 0);
