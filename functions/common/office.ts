/**
 * The office's directory in a function, built once per process: the department list every use
 * case reads (through the office settings, whose `departments` is a live view of the table,
 * refreshed every `directoryCacheSeconds`), and the gate every authenticated request passes (a
 * disabled user is refused; the directory's role and department win over the token's).
 *
 * Locally every function runs in one process, so one source serves them all and an admin change
 * is visible at once; in AWS each warm function reads again within the cache time.
 */
import { DynamoDbOfficeStore } from '../../shared/adapters/office-store';
import { DirectoryGate, OfficeDirectorySource } from '../../shared/app/directory';
import type { OfficeSettings } from '../../shared/domain/office';
import { applyInPlace, settingsWith, type SettingsOverride } from '../../shared/domain/settings';
import type { Actor } from '../../shared/domain/roles';
import { runtimeClock } from './clock';
import { config, tableClients } from './runtime-support';

export interface OfficeDirectory {
  store: DynamoDbOfficeStore;
  source: OfficeDirectorySource;
  gate: DirectoryGate;
  /** The settings in force: OFFICE_CONFIG with the directory's departments and the admin's override. */
  settings: OfficeSettings;
  /** OFFICE_CONFIG's settings as configured. */
  configured: OfficeSettings;
}

let directory: OfficeDirectory | undefined;

/** The settings of OFFICE_CONFIG as configured (the seed of the directory), read once. */
function configured(): OfficeSettings {
  return config().settings;
}

/** The directory of this process; undefined in a function without the table (openapi). */
export function officeDirectory(): OfficeDirectory | undefined {
  if (directory) return directory;
  if (!config().tableName) return undefined;
  const { db, tableName } = tableClients();
  const store = new DynamoDbOfficeStore(db, tableName);
  const base = configured();
  // One settings object per process: its departments are whatever the source read last, and its
  // sections (sweep, archive, letters, the upload limit) follow the admin's override in place, so
  // what holds a section (the sweep index's policy, the letter issuer's office) sees a change.
  const settings = structuredClone(base);
  let applied: string | undefined;
  const onSettings = (override: SettingsOverride | undefined) => {
    const key = JSON.stringify(override ?? {});
    if (key === applied) return;
    try {
      applyInPlace(settings, settingsWith(base, override ?? {}));
      applied = key;
    } catch (error) {
      // An override that OFFICE_CONFIG (changed at a deploy) no longer admits: kept out, logged.
      console.error('office settings: the stored override is not valid with OFFICE_CONFIG; using OFFICE_CONFIG', error);
    }
  };
  const source = new OfficeDirectorySource({
    store,
    clock: runtimeClock,
    seed: base.departments,
    categories: base.categories,
    cacheMs: base.directoryCacheSeconds * 1000,
    onSettings,
  });
  Object.defineProperty(settings, 'departments', { get: () => source.departments, enumerable: true });
  Object.defineProperty(settings, 'categories', { get: () => source.categories, enumerable: true });
  directory = { store, source, gate: new DirectoryGate({ store, source }), settings, configured: base };
  return directory;
}

/** The office settings of this process: OFFICE_CONFIG, with the departments and categories as the table holds them. */
export function officeSettings(): OfficeSettings {
  return officeDirectory()?.settings ?? configured();
}

/** Brings the department list up to date (within the cache time). */
export async function refreshOffice(): Promise<void> {
  await officeDirectory()?.source.refresh();
}

/** The directory's word on a verified user: refused if disabled, else with the directory's role and department. */
export async function admitted(actor: Actor): Promise<Actor> {
  const d = officeDirectory();
  return d ? d.gate.admit(actor) : actor;
}
