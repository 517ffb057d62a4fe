/**
 * Which of the office's departments an accusation accuses (Art. 30: the accuser's material must
 * never reach the accused unit). An accused unit names a department by its code, or only by its
 * name, as the clerk typed it from the letter: both count. The office's department list is the
 * source; names are compared after normalising width and whitespace (NFKC, no spaces), and a
 * name may carry the office's own locality in front (江川市住房和城乡建设局 is the
 * 住房和城乡建设局 of the 江川市 office).
 */
import type { Case } from './case';

export interface Department {
  code: string;
  name: string;
  /** A retired department still counts here: an accusation about it stays protected. */
  retired?: boolean;
}

/** What the rule needs to know of the office: its departments, and its locality (江川市). */
export interface OfficeDirectory {
  departments: readonly Department[];
  /** The office's place name, e.g. 江川市 or 东州省江川市; see localityOf. */
  locality?: string;
}

/** Full-width letters and digits to ASCII, every kind of space removed. */
export function normaliseUnitName(name: string): string {
  return name.normalize('NFKC').replace(/[\s\u200b-\u200d\ufeff]+/gu, '');
}

const LEVEL = /[省市县区州盟旗]/u;

/** The locality at the head of the office's organ name: 江川市信访局 → 江川市 (undefined if none). */
export function localityOf(organName: string): string | undefined {
  const n = normaliseUnitName(organName);
  let end = -1;
  for (let i = 0; i < n.length; i++) if (LEVEL.test(n[i] as string)) end = i;
  return end >= 0 ? n.slice(0, end + 1) : undefined;
}

/** The prefixes a department's name may carry: none, and each tail of the locality (江川市, 东州省江川市). */
function prefixes(locality: string | undefined): string[] {
  const out = [''];
  if (!locality) return out;
  const n = normaliseUnitName(locality);
  for (let i = 0; i < n.length; i++) {
    if (i === 0 || LEVEL.test(n[i - 1] as string)) out.push(n.slice(i));
  }
  return out;
}

/** The department a unit's name designates, if any. */
export function departmentNamed(name: string, office: OfficeDirectory): Department | undefined {
  const n = normaliseUnitName(name);
  if (n === '') return undefined;
  const heads = prefixes(office.locality);
  return office.departments.find((d) => {
    const dn = normaliseUnitName(d.name);
    return dn !== '' && heads.some((h) => n === h + dn);
  });
}

/** The codes of the office's departments an accusation accuses, by code or by name; empty for other item types. */
export function accusedDepartments(c: Pick<Case, 'itemType' | 'accusedUnits'>, office: OfficeDirectory): Set<string> {
  const out = new Set<string>();
  if (c.itemType !== 'accusation') return out;
  for (const u of c.accusedUnits) {
    if (u.deptCode) out.add(u.deptCode);
    const named = departmentNamed(u.name, office);
    if (named) out.add(named.code);
  }
  return out;
}

/** Whether `deptCode` is accused by the case (and so must never read it, nor be assigned it). */
export function isAccused(c: Pick<Case, 'itemType' | 'accusedUnits'>, deptCode: string, office: OfficeDirectory): boolean {
  return accusedDepartments(c, office).has(deptCode);
}
