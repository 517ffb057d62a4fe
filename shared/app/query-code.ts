/**
 * The petitioner's query code after registration: which letters print it, who may open those,
 * and the sealed copy kept for them. Apart from shared/app/letters.ts so that functions which
 * never render a letter do not bundle the renderer.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { DocumentRecord } from '../domain/documents';
import type { LetterType } from '../domain/letter-types';
import type { HashKey } from '../domain/pii';
import { hasRole, type Actor } from '../domain/roles';

/** Letters that print the query code: for the office and the petitioner, not for departments. */
export const LETTERS_WITH_QUERY_CODE: ReadonlySet<LetterType> = new Set<LetterType>(['receipt', 'acceptance-notice']);

/** Whether this actor may open a letter that prints the petitioner's query code. */
export function mayOpenQueryCodeLetter(actor: Actor): boolean {
  return hasRole(actor, 'clerk', 'director', 'archivist');
}

export function printsQueryCode(d: Pick<DocumentRecord, 'kind' | 'letterKind'>): boolean {
  return d.kind === 'generated' && d.letterKind !== undefined && LETTERS_WITH_QUERY_CODE.has(d.letterKind);
}

/**
 * Only a keyed hash of the query code identifies the petitioner, but the acceptance notice is
 * issued days after registration and prints the code. So registration also keeps the code sealed:
 * AES-256-GCM under a key derived (HKDF) from the PII hash key, bound to the case number, in an
 * item of the case's partition. A copy of the table alone reveals no code, as before; whoever
 * holds the key and the table could open them (as they could read the letters themselves).
 */
const SEAL_INFO = 'xinfang-registry/query-code-seal/v1';

function sealKey(piiKey: HashKey): Buffer {
  return Buffer.from(hkdfSync('sha256', piiKey, Buffer.alloc(0), SEAL_INFO, 32));
}

export function sealQueryCode(piiKey: HashKey, caseNo: string, queryCode: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(piiKey), iv);
  cipher.setAAD(Buffer.from(caseNo, 'utf8'));
  const sealed = Buffer.concat([cipher.update(queryCode, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** The query code, or null when the seal is not one of this key for this case. */
export function openQueryCode(piiKey: HashKey, caseNo: string, sealed: string): string | null {
  const [v, iv, data, tag] = sealed.split('.');
  if (v !== 'v1' || iv === undefined || data === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(piiKey), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(caseNo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
