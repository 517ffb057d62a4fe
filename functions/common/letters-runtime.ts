/**
 * The runtime of the functions that issue letters (cases-write) or manage their templates
 * (admin): the plain runtime plus the letter issuer, with the renderer and fonts loaded on the
 * first letter (in AWS from the font layer at XF_FONT_DIR) and then kept.
 */
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { createDynamoDbClient } from '../../shared/adapters/clients';
import { CaseLetterIssuer, LetterTemplatesAdmin } from '../../shared/app/letters';
import { verifierFromEnv, type TokenVerifier } from '../../shared/auth/verify';
import { ENV, optionalEnv, requireEnv } from '../../shared/config/env';
import { parseOfficeSettings, type OfficeSettings } from '../../shared/domain/office';
import { runtimeClock } from './clock';
import { buildRuntime, officeCalendarSource, type LetterIssuerFactory, type Runtime } from './runtime';
import { CalendarAdmin } from '../../shared/app/calendar';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';

/** The letter fonts (and fontkit with them) are loaded with the first letter, then kept. */
export const letterFonts = () => import('../../shared/letters/fonts').then((m) => m.loadLetterFonts(optionalEnv(ENV.fontDir)));

export const caseLetters: LetterIssuerFactory = ({ repo, storage, settings }) =>
  new CaseLetterIssuer({
    repo,
    templates: repo,
    storage,
    office: settings.letters,
    clock: runtimeClock,
    fonts: letterFonts,
    templateCacheMs: settings.templateCacheSeconds * 1000,
  });

let runtime: Promise<Runtime> | undefined;

/** The runtime with the case letters' issuer. */
export function getLetterRuntime(): Promise<Runtime> {
  runtime ??= buildRuntime(caseLetters).catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

/** The admin function: letter templates of the office, kept in the table. */
export interface AdminRuntime {
  templates: LetterTemplatesAdmin;
  calendar: CalendarAdmin;
  verify: TokenVerifier;
  settings: OfficeSettings;
}

let adminRuntime: Promise<AdminRuntime> | undefined;

export function getAdminRuntime(): Promise<AdminRuntime> {
  adminRuntime ??= buildAdmin().catch((err: unknown) => {
    adminRuntime = undefined;
    throw err;
  });
  return adminRuntime;
}

async function buildAdmin(): Promise<AdminRuntime> {
  const region = requireEnv(ENV.region);
  const tableName = requireEnv(ENV.tableName);
  const db = documentClient(createDynamoDbClient({ region, dynamodbEndpoint: optionalEnv(ENV.dynamodbEndpoint) }));
  const plain = new DynamoDbCaseRepository(db, tableName);
  const settings = parseOfficeSettings(optionalEnv(ENV.officeConfig));
  const templates = new LetterTemplatesAdmin({ store: plain, clock: runtimeClock, office: settings.letters, fonts: letterFonts });
  // The calendar: re-derived clocks are written like the sweep's milestones (case, clock items
  // with their sweep keys on the new calendar, audit event, notice: one transaction).
  const source = officeCalendarSource(plain, settings);
  const clocks = new DynamoDbSweepStore(db, tableName, new SweepIndexer(settings.sweep, source));
  const calendar = new CalendarAdmin({ years: plain, clocks, source, clock: runtimeClock });
  return { templates, calendar, verify: verifierFromEnv(), settings };
}
