/**
 * `npm run audit:verify -- <caseNo> [<caseNo> ...]`: re-reads each case's audit events exactly as
 * stored and checks the hash chain against the head kept on the case. `office` names the
 * office-level trail of admin changes (departments, users, templates, calendar, settings).
 * Exits 1 when any chain is broken, naming the event where it breaks.
 */
import { useRunningStackEnv } from '../local/connect';

const caseNos = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (caseNos.length === 0) {
  console.error('usage: npm run audit:verify -- <caseNo|office> [<caseNo> ...]');
  process.exit(2);
}
useRunningStackEnv();
const { verifyCaseAudit, verifyOfficeAudit } = await import('../shared/adapters/audit-verify');
const { getTokenlessRuntime } = await import('../functions/common/runtime');
const { officeDirectory } = await import('../functions/common/office');
const { repo } = await getTokenlessRuntime();
let broken = 0;
for (const caseNo of caseNos) {
  const office = caseNo.toLowerCase() === 'office' ? officeDirectory() : undefined;
  const result = office ? await verifyOfficeAudit(office.store) : await verifyCaseAudit(repo, caseNo);
  if (result.ok) console.log(`${caseNo}: OK, ${result.count} events, chain intact`);
  else {
    broken += 1;
    console.log(`${caseNo}: BROKEN at event ${result.brokenAt ?? '?'} (${result.reason}); ${result.count} events verified before it`);
  }
}
process.exit(broken > 0 ? 1 : 0);
