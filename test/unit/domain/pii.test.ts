import { describe, expect, it } from 'vitest';
import { IdNumberSchema, PhoneSchema, findRawPii, keyedHash, maskIdNumber, maskName, maskPhone, petitionerIdentityKeys } from '../../../shared/domain/pii';
import { idNumberCheckChar, normaliseIdNumber, normaliseName, normalisePhone, validateChineseIdNumber } from '../../../shared/domain/pii-validation';

const KEY = 'test-identity-key';

/*
 * A valid ID number, check digit by hand (GB 11643):
 *   first 17:  1  1  0  1  0  1  1  9  9  0  0  3  0  7  4  5  1
 *   weights:   7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
 *   products:  7  9  0  5  0  4  2  9 54  0  0 27  0 35 32 20  2   → sum 206
 *   206 mod 11 = 8; '10X98765432'[8] = '4'  → 110101199003074514 (born 1990-03-07)
 */
const VALID_ID = '110101199003074514';
/*
 * One with check character X:
 *   1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2
 *   = 7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4 = 167; 167 mod 11 = 2 → 'X'
 */
const VALID_ID_X = '11010519491231002X';
/*
 * Birth date 1990-02-30 does not exist, though the check digit is right:
 *   7 + 9 + 0 + 5 + 0 + 4 + 2 + 9 + 54 + 0 + 0 + 18 + 30 + 0 + 32 + 20 + 2 = 192; 192 mod 11 = 5 → '7'
 */
const IMPOSSIBLE_DATE_ID = '110101199002304517';
/*
 * 2001-02-29 (2001 is not a leap year), check digit right:
 *   28 + 36 + 0 + 15 + 0 + 16 + 4 + 0 + 0 + 3 + 0 + 18 + 20 + 45 + 8 + 8 + 6 = 207; 207 mod 11 = 9 → '3'
 */
const NOT_LEAP_YEAR_ID = '440304200102291233';

describe('validateChineseIdNumber', () => {
  it('accepts an ID number whose check digit was computed by hand', () => {
    expect(validateChineseIdNumber(VALID_ID)).toBe(true);
  });

  it('accepts an ID number ending in X, also written with a lower-case x and spaces', () => {
    expect(validateChineseIdNumber(VALID_ID_X)).toBe(true);
    expect(validateChineseIdNumber(' 110105 19491231 002x ')).toBe(true);
  });

  it('accepts full-width digits, as Chinese input methods type them', () => {
    expect(validateChineseIdNumber('１１０１０１１９９００３０７４５１４')).toBe(true);
  });

  it('rejects an ID number with a wrong check digit', () => {
    expect(validateChineseIdNumber('110101199003074512')).toBe(false);
    expect(validateChineseIdNumber('110105194912310021')).toBe(false);
  });

  it('rejects a birth date that does not exist even when the check digit fits', () => {
    expect(idNumberCheckChar(IMPOSSIBLE_DATE_ID.slice(0, 17))).toBe('7');
    expect(validateChineseIdNumber(IMPOSSIBLE_DATE_ID)).toBe(false);
    expect(validateChineseIdNumber(NOT_LEAP_YEAR_ID)).toBe(false);
  });

  it('accepts 29 February in a leap year', () => {
    const first17 = '44030420000229123';
    expect(validateChineseIdNumber(first17 + idNumberCheckChar(first17))).toBe(true);
  });

  it('rejects wrong lengths, letters in the body and birth years before 1900', () => {
    expect(validateChineseIdNumber('11010119900307451')).toBe(false);
    expect(validateChineseIdNumber('1101011990030745140')).toBe(false);
    expect(validateChineseIdNumber('11010119900307A514')).toBe(false);
    const first17 = '11010118991231451';
    expect(validateChineseIdNumber(first17 + idNumberCheckChar(first17))).toBe(false);
  });

  it('rejects a birth date after today when today is given', () => {
    const first17 = '11010120300101451';
    const id = first17 + idNumberCheckChar(first17);
    expect(validateChineseIdNumber(id)).toBe(true);
    expect(validateChineseIdNumber(id, { today: '2026-03-02' })).toBe(false);
  });
});

describe('IdNumberSchema', () => {
  it('parses a valid ID number to its normalised form', () => {
    // Act
    const parsed = IdNumberSchema.parse(' 11010519491231002x ');
    // Assess
    expect(parsed).toBe(VALID_ID_X);
  });

  it('fails on an invalid ID number', () => {
    expect(IdNumberSchema.safeParse('110101199003074512').success).toBe(false);
    expect(IdNumberSchema.safeParse(IMPOSSIBLE_DATE_ID).success).toBe(false);
  });
});

describe('PhoneSchema', () => {
  it('accepts mobiles and landlines with an area code', () => {
    for (const phone of ['13812345678', '19912345678', '0871-65123456', '010-12345678', '02112345678', '0871-6512345-801']) {
      expect(PhoneSchema.safeParse(phone).success, phone).toBe(true);
    }
  });

  it('rejects numbers that are neither', () => {
    for (const phone of ['12812345678', '1381234567', '138123456789', '65123456', '0871_65123456', 'abc']) {
      expect(PhoneSchema.safeParse(phone).success, phone).toBe(false);
    }
  });
});

describe('normalisation', () => {
  it('normalises ID numbers: trimmed, spaces removed, x upper-cased', () => {
    expect(normaliseIdNumber(' 110105 1949 1231 002x\t')).toBe(VALID_ID_X);
  });

  it('normalises the spellings of one mobile to its 11 digits', () => {
    for (const phone of ['13812345678', '+86 138 1234 5678', '86-138-1234-5678', '0086 13812345678', '１３８１２３４５６７８']) {
      expect(normalisePhone(phone), phone).toBe('13812345678');
    }
  });

  it('keeps the area code of a landline and does not strip 86 from one', () => {
    expect(normalisePhone('0871-65123456')).toBe('087165123456');
    expect(normalisePhone('8687165123456')).toBe('8687165123456');
  });

  it('normalises names: no spaces, one kind of middle dot', () => {
    expect(normaliseName(' 张 三 ')).toBe('张三');
    expect(normaliseName('阿不都・热合曼')).toBe('阿不都·热合曼');
  });
});

describe('keyedHash', () => {
  it('gives 32 hex characters that depend on the key', () => {
    // Act
    const a = keyedHash(KEY, VALID_ID);
    const b = keyedHash('another-key', VALID_ID);
    // Assess
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
  });

  it('is the truncated HMAC-SHA256 of the value', () => {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") — the well-known test vector
    expect(keyedHash('key', 'The quick brown fox jumps over the lazy dog')).toBe('f7bc83f430538424b13298e6aa6fb143');
  });

  it('accepts a binary key and refuses an empty one', () => {
    expect(keyedHash(new TextEncoder().encode(KEY), 'x')).toBe(keyedHash(KEY, 'x'));
    expect(() => keyedHash('', 'x')).toThrow();
  });
});

describe('petitionerIdentityKeys', () => {
  it('gives an id key and a name+phone key when all are known', () => {
    // Act
    const keys = petitionerIdentityKeys(KEY, { name: '张三丰', idNumber: VALID_ID, phone: '13812345678' });
    // Assess
    expect(keys).toEqual([`id:${keyedHash(KEY, VALID_ID)}`, `np:${keyedHash(KEY, '张三丰|13812345678')}`]);
  });

  it('gives only the id key without a phone, and only the name+phone key without an ID number', () => {
    expect(petitionerIdentityKeys(KEY, { name: '张三丰', idNumber: VALID_ID })).toEqual([`id:${keyedHash(KEY, VALID_ID)}`]);
    expect(petitionerIdentityKeys(KEY, { name: '张三丰', phone: '13812345678' })).toEqual([`np:${keyedHash(KEY, '张三丰|13812345678')}`]);
    expect(petitionerIdentityKeys(KEY, { name: '张三丰', idNumber: '  ', phone: '' })).toEqual([]);
  });

  it('finds the same petitioner however the values were typed', () => {
    // Prepare
    const typed = { name: ' 张 三丰', idNumber: '110101 19900307 4514 ', phone: '+86 138-1234-5678' };
    // Act / Assess
    expect(petitionerIdentityKeys(KEY, typed)).toEqual(petitionerIdentityKeys(KEY, { name: '张三丰', idNumber: VALID_ID, phone: '13812345678' }));
  });

  it('never contains the raw values', () => {
    const keys = petitionerIdentityKeys(KEY, { name: '张三丰', idNumber: VALID_ID, phone: '13812345678' }).join(' ');
    expect(keys).not.toContain(VALID_ID);
    expect(keys).not.toContain('13812345678');
    expect(keys).not.toContain('张三丰');
  });
});

describe('masks', () => {
  it('masks an ID number to its first 6 and last 4 characters', () => {
    expect(maskIdNumber('110101199003074512')).toBe('110101********4512');
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X');
  });

  it('masks short identity numbers completely', () => {
    expect(maskIdNumber('E12345678')).toBe('*********');
  });

  it('masks a mobile to its first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
  });

  it('masks landlines and local numbers without showing the middle', () => {
    expect(maskPhone('0871-65123456')).toBe('087*****3456');
    expect(maskPhone('65123456')).toBe('****3456');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('keeps the surname of a name and masks each other character', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李四')).toBe('李*');
    expect(maskName(' 𠀋一 ')).toBe('𠀋*');
    expect(maskName('')).toBe('');
  });
});

describe('findRawPii', () => {
  it('finds raw ID and phone numbers anywhere in a JSON value', () => {
    // Prepare
    const data = {
      petitioner: { id: VALID_ID, phones: ['0871-65123456', '138 1234 5678'] },
      note: 'called back on +8613812345678',
      n: 13812345678,
    };
    // Act
    const paths = findRawPii(data);
    // Assess
    expect(paths).toEqual(['$.petitioner.id', '$.petitioner.phones[0]', '$.petitioner.phones[1]', '$.note', '$.n']);
  });

  it('lets masked values, hashes, case numbers, dates and timestamps through', () => {
    const data = {
      id: maskIdNumber(VALID_ID),
      phone: maskPhone('13812345678'),
      sha256: 'a13812345678b0c0d0e0f00112233445566778899aabbccddeeff00112233445',
      hex: '13812345678abcdef',
      caseNo: 'XF-2026-000123',
      date: '2026-03-02',
      at: 1772409600000,
      archiveNo: '0012-2026-Y-0001',
      // An archived original: item number, then a document id whose first group may be all digits.
      path: 'originals/001-89965680-e9c5-4b9a-8eb7-aaa70e8709a4.pdf',
      key: 'uploads/XF-2026-000001/0123-4567890/scan.pdf',
    };
    expect(findRawPii(data)).toEqual([]);
  });

  it('still finds a landline written after a colon, a space or a Chinese word', () => {
    expect(findRawPii({ a: '电话:0871-65123456', b: '联系 0871-65123456', c: '座机0871-65123456' })).toEqual(['$.a', '$.b', '$.c']);
  });

  it('does not repeat a raw value used as a key in the path it reports', () => {
    const paths = findRawPii({ [VALID_ID]: 'x' });
    expect(paths).toEqual(['$.<key>']);
    expect(paths.join()).not.toContain(VALID_ID);
  });
});
