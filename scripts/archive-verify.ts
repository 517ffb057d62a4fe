/**
 * `npm run archive:verify [-- <archiveNo|caseNo> ...]`: the fixity check against the running
 * local stack (or AWS, when TABLE_NAME and the other variables are set): re-hashes every file of
 * the named packages, or of every archived package, against the package's manifest, and the
 * manifest against the hash recorded on the case. Prints one line per problem and a summary;
 * exits 1 when a file is missing or altered. It reads the archive only; its report is kept in the
 * table for the archivists (GET /archive/fixity), unless `--no-record`.
 */
import { useRunningStackEnv } from '../local/connect';

const refs = process.argv.slice(2).filter((a) => !a.startsWith('-'));
useRunningStackEnv();
const { getArchiveRuntime } = await import('../functions/common/archive-runtime');
const { archive } = await getArchiveRuntime('archive-verify');
const report = await archive.verifyFixity(refs.length > 0 ? { refs } : {});
if (!process.argv.includes('--no-record')) await archive.saveCommandReport(report, refs);
for (const ref of report.notFound) console.log(`${ref}  no archived package`);
for (const p of report.problems) {
  const detail =
    p.problem === 'missing' ? `missing (expected sha256 ${p.expected ?? '?'})` : `altered: sha256 ${p.actual ?? '?'}, manifest says ${p.expected ?? '?'}`;
  console.log(`${p.archiveNo}  ${p.caseNo}  ${p.path}  ${detail}`);
}
const failed = report.problems.length + report.notFound.length;
const verdict = failed === 0 ? 'OK' : `${report.problems.length} PROBLEM${report.problems.length === 1 ? '' : 'S'}`;
console.log(`${verdict}: ${report.packages} package${report.packages === 1 ? '' : 's'}, ${report.files} files checked`);
process.exit(failed > 0 ? 1 : 0);
