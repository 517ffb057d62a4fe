/**
 * 问题属地 and 信访层级 on the registration form (docs/reports.md "Registration"): the place the
 * matter is about (a code of the office's localities) and, for a visit or a referral only, the
 * level it reached. The server checks the same (RegistrationSchema, Registry.register); these
 * rules let the form say so in Chinese before it sends, and send a level only where it applies.
 */
import type { Option } from '@shared/app/vocabulary';
import type { PetitionLevel } from '@shared/domain/taxonomy';

export interface PlaceAndLevelDraft {
  channel: string;
  /** '' when not chosen (both are optional). */
  locality?: string;
  level?: string;
}

export interface PlaceAndLevelVocabulary {
  localities: Option[];
  petitionLevels: Option[];
  levelChannels: string[];
}

/** Is a level recorded for this channel (visits and referrals)? */
export function levelApplies(channel: string, vocab: Pick<PlaceAndLevelVocabulary, 'levelChannels'>): boolean {
  return vocab.levelChannels.includes(channel);
}

/** The registration's `locality` and `level` from the draft: a level only for a visit or a referral. */
export function placeAndLevel(d: PlaceAndLevelDraft, vocab: PlaceAndLevelVocabulary): { locality?: string; level?: PetitionLevel } {
  const out: { locality?: string; level?: PetitionLevel } = {};
  if (d.locality) out.locality = d.locality;
  if (d.level && levelApplies(d.channel, vocab)) out.level = d.level as PetitionLevel;
  return out;
}

/** Chinese messages for a locality or level the office does not offer (keys as the API names the fields). */
export function placeAndLevelErrors(d: PlaceAndLevelDraft, vocab: PlaceAndLevelVocabulary): Record<string, string> {
  const e: Record<string, string> = {};
  if (d.locality && !vocab.localities.some((l) => l.code === d.locality)) e.locality = '问题属地不在本机关设置的属地中，请重新选择';
  if (d.level && levelApplies(d.channel, vocab) && !vocab.petitionLevels.some((l) => l.code === d.level)) e.level = '请选择信访层级';
  return e;
}

/** What the registration's upload box holds, named by the channel (a visitor brings materials, not a letter). */
export function materialsOf(channel: string): { title: string; drop: string; hint?: string } {
  switch (channel) {
    case 'letter':
      return { title: '来信扫描件', drop: '选择或拖入扫描件', hint: '来信登记请附上信件扫描件（可稍后在案件页补传）。' };
    case 'visit':
      return { title: '来访材料', drop: '选择或拖入来访人递交的材料（扫描件、照片）' };
    case 'fax':
      return { title: '传真件', drop: '选择或拖入传真件' };
    case 'referral':
      return { title: '转来材料', drop: '选择或拖入转送、交办函及所附材料' };
    default:
      return { title: '相关材料', drop: '选择或拖入相关材料（扫描件、照片）' };
  }
}
