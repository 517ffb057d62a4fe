import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_CONTENT_TYPES,
  DOCX,
  MAGIC_BYTES_NEEDED,
  XLSX,
  ZIP_CONTAINER,
  extensionFor,
  matchesDeclaredType,
  sniffContentType,
} from '../../../shared/domain/filetypes';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** Leading bytes padded with zeros to MAGIC_BYTES_NEEDED, as a ranged GET would return them. */
function head(...parts: (number[] | string)[]): Uint8Array {
  const bytes = parts.flatMap((p) => (typeof p === 'string' ? ascii(p) : p));
  const out = new Uint8Array(Math.max(MAGIC_BYTES_NEEDED, bytes.length));
  out.set(bytes);
  return out;
}

/** A ZIP local file header (PK\3\4) whose first entry has the given name. */
function zipWithFirstEntry(name: string): Uint8Array {
  const header = new Array<number>(30).fill(0);
  header.splice(0, 4, 0x50, 0x4b, 0x03, 0x04);
  header[4] = 20; // version needed
  header[26] = name.length & 0xff;
  header[27] = name.length >> 8;
  return head(header, name);
}

const SAMPLES = {
  pdf: head('%PDF-1.7\n%\xe2\xe3\xcf\xd3'),
  jpeg: head([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'),
  png: head([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], 'IHDR'),
  tiffLittleEndian: head('II', [0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]),
  tiffBigEndian: head('MM', [0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]),
  ooxml: zipWithFirstEntry('[Content_Types].xml'),
  docx: zipWithFirstEntry('word/document.xml'),
  xlsx: zipWithFirstEntry('xl/workbook.xml'),
};

describe('sniffContentType', () => {
  it('recognises each document type by its magic bytes', () => {
    expect(sniffContentType(SAMPLES.pdf)).toBe('application/pdf');
    expect(sniffContentType(SAMPLES.jpeg)).toBe('image/jpeg');
    expect(sniffContentType(SAMPLES.png)).toBe('image/png');
    expect(sniffContentType(SAMPLES.tiffLittleEndian)).toBe('image/tiff');
    expect(sniffContentType(SAMPLES.tiffBigEndian)).toBe('image/tiff');
  });

  it('tells DOCX from XLSX when the first ZIP entry shows it', () => {
    expect(sniffContentType(SAMPLES.docx)).toBe(DOCX);
    expect(sniffContentType(SAMPLES.xlsx)).toBe(XLSX);
  });

  it('reports a ZIP container when the first entry says nothing about the kind', () => {
    expect(sniffContentType(SAMPLES.ooxml)).toBe(ZIP_CONTAINER);
    expect(sniffContentType(head([0x50, 0x4b, 0x03, 0x04]))).toBe(ZIP_CONTAINER);
  });

  it('returns null for anything else', () => {
    for (const bytes of [
      head('GIF89a'),
      head('<html>'),
      head([0x50, 0x4b, 0x05, 0x06]), // empty ZIP
      head('II', [0x2b, 0x00]), // BigTIFF
      head(' %PDF-1.7'),
      new Uint8Array(0),
      Uint8Array.of(0xff, 0xd8), // too short for the JPEG signature
    ]) {
      expect(sniffContentType(bytes)).toBeNull();
    }
  });

  it('needs no more than MAGIC_BYTES_NEEDED bytes', () => {
    for (const bytes of Object.values(SAMPLES)) {
      expect(sniffContentType(bytes.subarray(0, MAGIC_BYTES_NEEDED))).toBe(sniffContentType(bytes));
    }
  });
});

describe('matchesDeclaredType', () => {
  it('accepts each type declared for its own bytes', () => {
    expect(matchesDeclaredType('application/pdf', SAMPLES.pdf)).toBe(true);
    expect(matchesDeclaredType('image/jpeg', SAMPLES.jpeg)).toBe(true);
    expect(matchesDeclaredType('image/png', SAMPLES.png)).toBe(true);
    expect(matchesDeclaredType('image/tiff', SAMPLES.tiffLittleEndian)).toBe(true);
    expect(matchesDeclaredType('image/tiff', SAMPLES.tiffBigEndian)).toBe(true);
    expect(matchesDeclaredType(DOCX, SAMPLES.docx)).toBe(true);
    expect(matchesDeclaredType(XLSX, SAMPLES.xlsx)).toBe(true);
  });

  it('rejects a PNG declared as a PDF', () => {
    expect(matchesDeclaredType('application/pdf', SAMPLES.png)).toBe(false);
  });

  it('accepts an undistinguished OOXML container for DOCX and for XLSX, and for nothing else', () => {
    expect(matchesDeclaredType(DOCX, SAMPLES.ooxml)).toBe(true);
    expect(matchesDeclaredType(XLSX, SAMPLES.ooxml)).toBe(true);
    expect(matchesDeclaredType('application/pdf', SAMPLES.ooxml)).toBe(false);
  });

  it('rejects a DOCX declared as XLSX when the bytes tell them apart', () => {
    expect(matchesDeclaredType(XLSX, SAMPLES.docx)).toBe(false);
    expect(matchesDeclaredType(DOCX, SAMPLES.xlsx)).toBe(false);
  });

  it('ignores case and parameters of the declared type', () => {
    expect(matchesDeclaredType('Application/PDF; charset=binary', SAMPLES.pdf)).toBe(true);
  });

  it('rejects types that are not document types, whatever the bytes', () => {
    expect(matchesDeclaredType('application/zip', SAMPLES.ooxml)).toBe(false);
    expect(matchesDeclaredType('image/gif', head('GIF89a'))).toBe(false);
    expect(matchesDeclaredType('', SAMPLES.pdf)).toBe(false);
  });
});

describe('extensionFor', () => {
  it('gives an extension for every document type', () => {
    expect(DOCUMENT_CONTENT_TYPES.map((t) => extensionFor(t))).toEqual(['pdf', 'jpg', 'png', 'tif', 'docx', 'xlsx']);
  });

  it('gives null for other types', () => {
    expect(extensionFor('application/zip')).toBeNull();
    expect(extensionFor('text/html')).toBeNull();
  });
});
