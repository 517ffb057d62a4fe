/** Shared pieces of the end-to-end tests: tokens, a realistic registration, real files, polling. */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { TestStack } from '../support/stack';

export async function tokens(stack: TestStack) {
  const [clerk, director, hrss, housing, archivist] = await Promise.all(['clerk1', 'director1', 'hrss1', 'housing1', 'archivist1'].map((u) => stack.token(u)));
  return { clerk: clerk!, director: director!, hrss: hrss!, housing: housing!, archivist: archivist! };
}

export function registration(over: Record<string, unknown> = {}) {
  return {
    petitioners: [{ name: '张建华', idNumber: '11010519491231002X', phone: '13812345678', address: '江川区宁海街道建设路12号' }],
    persons: 1,
    channel: { type: 'letter' },
    itemType: 'request-appeal',
    category: 'labour',
    subject: '请求协调解决拖欠工资问题',
    summary: '信访人反映某建筑公司拖欠其2025年工资共计3.2万元，多次讨要未果，请求协调解决。',
    receivedOn: '2026-03-02',
    ...over,
  };
}

/** A real one-page PDF, as a scanner would produce (well, nearly). */
export async function scannedPdf(text = 'Letter scan'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 770, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save();
}

/** A real 2×2 PNG. */
export function png(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
