/**
 * The system actors the audit trail records (`{ system: <name> }`), each with the name a person
 * reads in the case's timeline. Every use case that acts as the system takes its name from here,
 * so the web's labels follow what is recorded. Browser-safe: imports nothing.
 */
export const SYSTEM_ACTORS = {
  'deadline-sweep': '期限巡检',
  'verify-upload': '上传校验',
  'upload-reconciliation': '上传核对',
  'archive-run': '归档程序',
  'archive-fixity': '档案完整性检查',
} as const;

export type SystemActorName = keyof typeof SYSTEM_ACTORS;

/** The audit actor of a system process. */
export function systemActor<N extends SystemActorName>(name: N): { system: N } {
  return { system: name };
}
