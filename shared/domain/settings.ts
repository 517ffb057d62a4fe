/**
 * The office settings an admin changes from the 系统设置 screen, without a deploy (DESIGN §1):
 * the sweep policy (reminder days, the 挂牌督办 threshold), the upload size limit, the archive's
 * retention rules and longest loan, and what the letters print (organ names, document-number
 * patterns, contact details). The table keeps the admin's override; the settings in force are
 * OFFICE_CONFIG with the override laid over it, validated by the schema that reads them
 * (OfficeSettingsSchema), so a value the registry would refuse is refused when it is saved.
 */
import { z } from 'zod';
import { ValidationError } from './errors';
import { OfficeSettingsSchema, type OfficeSettings } from './office';

const Section = z.record(z.string(), z.unknown());

/** The body of PUT /admin/settings: the sections changed (each field checked by the schema that reads it). */
export const SettingsOverrideSchema = z
  .object({
    sweep: Section.optional(),
    maxUploadBytes: z
      .number()
      .int()
      .positive()
      .max(2 * 1024 * 1024 * 1024)
      .optional(),
    archive: Section.optional(),
    letters: Section.optional(),
    /** The case-number prefixes of later years, the whole list (checked by OfficeSettingsSchema and checkPrefixChange). */
    caseNumberPrefixes: z.array(z.unknown()).max(50).optional(),
  })
  .strict();
export type SettingsOverride = z.infer<typeof SettingsOverrideSchema>;

/** What the admin may change in each section (anything else in OFFICE_CONFIG needs a deploy). */
export const EDITABLE = {
  sweep: ['reminderWorkingDays', 'flaggedAfterDays', 'replyWorkingDays'],
  archive: ['rules', 'defaultRetention', 'maxLoanDays'],
  letters: ['organName', 'shortName', 'reviewOrgan', 'rereviewOrgan', 'documentNumberPatterns', 'address', 'phone', 'queryUrl', 'sealText'],
} as const;

/**
 * OFFICE_CONFIG's settings with the override laid over them, parsed by OfficeSettingsSchema;
 * ValidationError naming `body.<section>.<field>` when a value would be refused.
 */
export function settingsWith(base: OfficeSettings, override: SettingsOverride): OfficeSettings {
  for (const section of ['sweep', 'archive', 'letters'] as const) {
    for (const field of Object.keys(override[section] ?? {})) {
      if (!(EDITABLE[section] as readonly string[]).includes(field))
        throw ValidationError.field(`body.${section}.${field}`, 'not a setting the admin may change (OFFICE_CONFIG, at deploy time)');
    }
  }
  const letters = { ...base.letters, ...override.letters } as Record<string, unknown>;
  // A seal that followed the organ's name follows its new name.
  if (override.letters?.organName !== undefined && override.letters.sealText === undefined && base.letters.sealText === base.letters.organName)
    delete letters.sealText;
  if (override.letters?.documentNumberPatterns)
    letters.documentNumberPatterns = { ...base.letters.documentNumberPatterns, ...(override.letters.documentNumberPatterns as object) };
  const merged = {
    ...base,
    sweep: { ...base.sweep, ...override.sweep },
    archive: { ...base.archive, ...override.archive },
    letters,
    maxUploadBytes: override.maxUploadBytes ?? base.maxUploadBytes,
    caseNumberPrefixes: override.caseNumberPrefixes ?? base.caseNumberPrefixes,
  };
  const parsed = OfficeSettingsSchema.safeParse(merged);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, { prefix: 'body', message: 'Invalid settings' });
  return parsed.data;
}

/** The part of the settings the screen shows and edits, as in force. */
export function editableView(s: OfficeSettings) {
  const pick = <T extends object, K extends readonly string[]>(o: T, keys: K) => Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
  return {
    sweep: pick(s.sweep, EDITABLE.sweep),
    archive: pick(s.archive, EDITABLE.archive),
    letters: pick(s.letters, EDITABLE.letters),
    maxUploadBytes: s.maxUploadBytes,
    caseNumberPrefix: s.caseNumberPrefix,
    caseNumberPrefixes: s.caseNumberPrefixes,
  };
}

/**
 * A new case-number prefix takes effect from a later year only (a year's numbers are one series)
 * and never renumbers: the prefixes of this year and the years before stay as they were.
 * ValidationError on `body.caseNumberPrefixes` otherwise.
 */
export function checkPrefixChange(before: OfficeSettings['caseNumberPrefixes'], after: OfficeSettings['caseNumberPrefixes'], currentYear: number): void {
  const settled = (list: OfficeSettings['caseNumberPrefixes']) => JSON.stringify(list.filter((e) => e.fromYear <= currentYear));
  if (settled(before) !== settled(after))
    throw ValidationError.field(
      'body.caseNumberPrefixes',
      `a prefix takes effect from ${currentYear + 1} at the earliest; the prefixes of ${currentYear} and before stay`,
    );
}

/**
 * Brings a live settings object to `next` in place: the sections are the same objects, so what
 * holds a section (the sweep index's policy, the letter issuer's office) sees the change.
 */
export function applyInPlace(live: OfficeSettings, next: OfficeSettings): void {
  Object.assign(live.sweep, next.sweep);
  Object.assign(live.archive, next.archive);
  Object.assign(live.letters, next.letters);
  live.maxUploadBytes = next.maxUploadBytes;
  live.caseNumberPrefixes = next.caseNumberPrefixes;
}
