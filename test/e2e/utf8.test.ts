/**
 * A body that is not valid UTF-8 is refused (400) on every route, through the one middleware
 * stack, instead of being stored with U+FFFD where the bad bytes were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { registration } from './helpers';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  token = (await stack.token('clerk1')) as string;
}, 60_000);
afterAll(() => stack?.stop());

/** The registration body as bytes, with `bad` in place of the subject's text. */
function withBytes(bad: number[]): Uint8Array {
  const json = JSON.stringify(registration({ subject: 'SUBJECT' }));
  const [before, after] = json.split('SUBJECT') as [string, string];
  return new Uint8Array(Buffer.concat([Buffer.from(`${before}请求`, 'utf8'), Buffer.from(bad), Buffer.from(`解决${after}`, 'utf8')]));
}

describe('a body that is not valid UTF-8', () => {
  it.each([
    ['a stray continuation byte', [0x80]],
    ['a truncated sequence', [0xe4, 0xbd]],
    ['an overlong encoding', [0xc0, 0xaf]],
  ])('is refused with 400 when it carries %s (sent as JSON)', async (_name, bad) => {
    const r = await stack.api.post('/cases', withBytes(bad), { token, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json.error.issues).toEqual([{ field: '(body)', reason: expect.stringContaining('UTF-8') }]);
    expect((await stack.api.get('/cases?status=registered', { token })).json.items).toEqual([]);
  });

  it('is refused when the gateway passes it base64-encoded (a non-text content type)', async () => {
    const r = await stack.api.post('/cases/check', withBytes([0xff]), { token, headers: { 'content-type': 'application/octet-stream' } });
    expect(r.status).toBe(400);
    expect(r.json.error.issues[0].field).toBe('(body)');
  });

  it('is refused when JSON escapes a lone surrogate, naming the field', async () => {
    const json = JSON.stringify(registration({ subject: 'SUBJECT' })).replace('SUBJECT', '请求\\ud800解决');
    const r = await stack.api.post('/cases/check', json, { token, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json.error.issues).toEqual([{ field: 'body.subject', reason: expect.stringContaining('UTF-8') }]);
  });

  it('takes the same body in valid UTF-8, in either form', async () => {
    const ok = withBytes([...Buffer.from('协调', 'utf8')]);
    expect((await stack.api.post('/cases/check', ok, { token, headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect((await stack.api.post('/cases/check', ok, { token, headers: { 'content-type': 'application/octet-stream' } })).status).toBe(200);
  });
});
