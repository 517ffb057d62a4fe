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
import { ENV, optionalEnv } from '../../shared/config/env';
import { parseOfficeSettings, type OfficeSettings } from '../../shared/domain/office';
import type { Actor } from '../../shared/domain/roles';
import { runtimeClock } from './clock';
import { tableClients } from './runtime-support';

export interface OfficeDirectory {
  store: DynamoDbOfficeStore;
  source: OfficeDirectorySource;
  gate: DirectoryGate;
  settings: OfficeSettings;
}

let directory: OfficeDirectory | undefined;

/** The settings of OFFICE_CONFIG as configured (the seed of the directory), read once. */
function configured(): OfficeSettings {
  return parseOfficeSettings(optionalEnv(ENV.officeConfig));
}

/** The directory of this process; undefined in a function without the table (openapi). */
export function officeDirectory(): OfficeDirectory | undefined {
  if (directory) return directory;
  if (!optionalEnv(ENV.tableName)) return undefined;
  const { db, tableName } = tableClients();
  const store = new DynamoDbOfficeStore(db, tableName);
  const base = configured();
  const source = new OfficeDirectorySource({ store, clock: runtimeClock, seed: base.departments, cacheMs: base.directoryCacheSeconds * 1000 });
  // One settings object per process: its departments are whatever the source read last.
  const settings = Object.defineProperty({ ...base }, 'departments', { get: () => source.departments, enumerable: true }) as OfficeSettings;
  directory = { store, source, gate: new DirectoryGate({ store, source }), settings };
  return directory;
}

/** The office settings of this process: OFFICE_CONFIG, with the departments as the table holds them. */
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
