import { describe, expect, it } from 'vitest';
import { need, readConfig } from '../../../shared/config/env';
import { parseOfficeSettings } from '../../../shared/domain/office';

describe('readConfig', () => {
  it('reads every variable once into a typed configuration, an empty one as absent', () => {
    const config = readConfig({ AWS_REGION: 'cn-north-1', TABLE_NAME: 'xf', DOCUMENTS_BUCKET: '', ARCHIVE_OBJECT_LOCK: 'COMPLIANCE' });
    expect(config.region).toBe('cn-north-1');
    expect(config.tableName).toBe('xf');
    expect(config.documentsBucket).toBeUndefined();
    expect(config.archiveObjectLock).toBe('COMPLIANCE');
    expect(config.settings).toEqual(parseOfficeSettings(undefined));
  });

  it('parses the office settings from OFFICE_CONFIG', () => {
    const config = readConfig({ OFFICE_CONFIG: JSON.stringify({ sweep: { archiveAfterDays: 30 } }) });
    expect(config.settings.sweep.archiveAfterDays).toBe(30);
  });

  it('fails at cold start on a malformed value', () => {
    expect(() => readConfig({ ARCHIVE_OBJECT_LOCK: 'LOOSE' })).toThrow(/ARCHIVE_OBJECT_LOCK must be COMPLIANCE or GOVERNANCE/);
    expect(() => readConfig({ OFFICE_CONFIG: '{not json' })).toThrow();
  });

  it('names the variable a function needs and was not given', () => {
    const config = readConfig({ AWS_REGION: 'cn-north-1' });
    expect(need(config, 'region')).toBe('cn-north-1');
    expect(() => need(config, 'tableName')).toThrow('Missing environment variable TABLE_NAME');
    expect(() => need(readConfig({ CURSOR_KEY: '' }), 'cursorKey')).toThrow('Missing environment variable CURSOR_KEY');
  });
});
