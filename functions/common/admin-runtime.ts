/**
 * The admin function's runtime: the letter templates (their wording checked against the letter
 * fonts), the holiday calendar, and the office directory (departments, users) with its audit
 * trail. Its own module, so the Cognito client stays out of every other function's bundle.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentity } from '../../shared/adapters/cognito-identity';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import { CalendarAdmin } from '../../shared/app/calendar';
import { OfficeAdmin, tableOnlyIdentity } from '../../shared/app/directory';
import { LetterTemplatesAdmin } from '../../shared/app/letters';
import { verifierFromConfig, type TokenVerifier } from '../../shared/auth/verify';
import { need } from '../../shared/config/env';
import type { OfficeSettings } from '../../shared/domain/office';
import { runtimeClock } from './clock';
import { letterFonts } from './letters-runtime';
import { officeDirectory, officeSettings } from './office';
import { officeCalendarSource } from './runtime';
import { config, once, tableClients } from './runtime-support';

export interface AdminRuntime {
  templates: LetterTemplatesAdmin;
  calendar: CalendarAdmin;
  directory: OfficeAdmin;
  verify: TokenVerifier;
  settings: OfficeSettings;
}

export const getAdminRuntime = once(async (): Promise<AdminRuntime> => {
  const c = config();
  const { tableName, db } = tableClients();
  const plain = new DynamoDbCaseRepository(db, tableName);
  const settings = officeSettings();
  const templates = new LetterTemplatesAdmin({ store: plain, clock: runtimeClock, office: settings.letters, fonts: letterFonts });
  // The calendar: re-derived clocks are written like the sweep's milestones (case, clock items
  // with their sweep keys on the new calendar, audit event, notice: one transaction).
  const source = officeCalendarSource(plain, settings);
  const clocks = new DynamoDbSweepStore(db, tableName, new SweepIndexer(settings.sweep, source));
  const calendar = new CalendarAdmin({ years: plain, clocks, source, clock: runtimeClock });
  const office = officeDirectory();
  if (!office) throw new Error('The admin function needs the table');
  const userPoolId = c.userPoolId;
  // In AWS users sign in through Cognito; locally the built-in issuer signs from the table itself.
  const identity = userPoolId ? new CognitoIdentity(new CognitoIdentityProviderClient({ region: need(c, 'region') }), userPoolId) : tableOnlyIdentity;
  // A change of the sweep policy writes the open clocks' sweep entries again, with the policy now in force.
  const directory = new OfficeAdmin({
    store: office.store,
    identity,
    source: office.source,
    clock: runtimeClock,
    settings: { configured: office.configured },
    rekey: () => clocks.rekey(),
  });
  return { templates, calendar, directory, verify: verifierFromConfig(c), settings };
});
