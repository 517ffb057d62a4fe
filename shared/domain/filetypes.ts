/**
 * Upload checks (DESIGN §4): when an object lands, its leading bytes must match the type that
 * was declared (and fixed) in the presigned POST. Reading {@link MAGIC_BYTES_NEEDED} bytes with
 * a ranged GET is enough for every check here.
 *
 * DOCX and XLSX are both ZIP containers (Office Open XML). Their first bytes are the ZIP local
 * file header (`PK\x03\x04`) followed by the first entry's name at offset 30. When that name
 * starts with `word/` or `xl/` the kind is known; most writers put `[Content_Types].xml` first,
 * though, which says nothing. Such a file sniffs as {@link ZIP_CONTAINER} and is accepted for
 * either declared type: telling them apart would need the central directory at the end of the
 * file, which is more than a magic-byte check should read.
 */
import { z } from 'zod';

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Every type a document may have. */
export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', DOCX, XLSX] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];
export const DocumentContentTypeSchema = z.enum(DOCUMENT_CONTENT_TYPES);

/** Types a scanned letter or attachment may have (DESIGN §4); responses also allow DOCX/XLSX. */
export const SCAN_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'] as const satisfies readonly DocumentContentType[];

/** What {@link sniffContentType} returns for an OOXML file whose kind the first bytes do not tell. */
export const ZIP_CONTAINER = 'application/zip';
export type SniffedContentType = DocumentContentType | typeof ZIP_CONTAINER;

/** Leading bytes the checks read: the longest signature is 8 bytes, ZIP entry names need more. */
export const MAGIC_BYTES_NEEDED = 64;

const EXTENSIONS: Record<DocumentContentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
  [DOCX]: 'docx',
  [XLSX]: 'xlsx',
};

export function isDocumentContentType(value: string): value is DocumentContentType {
  return (DOCUMENT_CONTENT_TYPES as readonly string[]).includes(value);
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00]; // II*\0
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a]; // MM\0*
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4

/** The first entry name of a ZIP, as far as it lies within `bytes`; '' when not readable. */
function firstZipEntryName(bytes: Uint8Array): string {
  if (bytes.length < 30) return '';
  const nameLength = (bytes[26] ?? 0) | ((bytes[27] ?? 0) << 8);
  return String.fromCharCode(...bytes.subarray(30, 30 + nameLength));
}

/**
 * The document type the leading bytes show, or null when none matches. PDF must start at byte 0
 * (`%PDF-`; the spec tolerates leading junk, uploads here do not). TIFF is classic TIFF, both
 * byte orders; BigTIFF is not accepted. A ZIP is DOCX or XLSX when its first entry is under
 * `word/` or `xl/`, otherwise {@link ZIP_CONTAINER}.
 */
export function sniffContentType(firstBytes: Uint8Array): SniffedContentType | null {
  if (startsWith(firstBytes, PDF)) return 'application/pdf';
  if (startsWith(firstBytes, JPEG)) return 'image/jpeg';
  if (startsWith(firstBytes, PNG)) return 'image/png';
  if (startsWith(firstBytes, TIFF_LE) || startsWith(firstBytes, TIFF_BE)) return 'image/tiff';
  if (startsWith(firstBytes, ZIP_LOCAL_HEADER)) {
    const name = firstZipEntryName(firstBytes);
    if (name.startsWith('word/')) return DOCX;
    if (name.startsWith('xl/')) return XLSX;
    return ZIP_CONTAINER;
  }
  return null;
}

/** `Image/PNG; charset=binary` → `image/png`. */
function normaliseContentType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Whether the leading bytes are of the declared type. The declared type must be a document type
 * (parameters and case are ignored); a ZIP of unknown kind matches DOCX and XLSX.
 */
export function matchesDeclaredType(declared: string, firstBytes: Uint8Array): boolean {
  const type = normaliseContentType(declared);
  if (!isDocumentContentType(type)) return false;
  const sniffed = sniffContentType(firstBytes);
  if (sniffed === ZIP_CONTAINER) return type === DOCX || type === XLSX;
  return sniffed === type;
}

/** File extension, without the dot, for a document type (`pdf`, `jpg`, `png`, `tif`, `docx`, `xlsx`). */
export function extensionFor(contentType: DocumentContentType): string;
export function extensionFor(contentType: string): string | null;
export function extensionFor(contentType: string): string | null {
  const type = normaliseContentType(contentType);
  return isDocumentContentType(type) ? EXTENSIONS[type] : null;
}
