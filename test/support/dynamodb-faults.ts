/**
 * An HTTP proxy in front of the run's DynamoDB Local that fails chosen requests, to inject a fault
 * into one kind of write and not the others (test/support/proxy.ts takes the whole dependency
 * away). A request matching the rule — its operation (`X-Amz-Target`, e.g. `UpdateItem`) and a
 * string its JSON body contains — is answered with a ValidationException (400, which the SDK does
 * not retry), without reaching DynamoDB; everything else is forwarded as it is.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRule {
  /** The operation, as in `DynamoDB_20120810.<operation>`. */
  operation: string;
  /** A string the request's body must contain. */
  bodyIncludes: string;
}

export interface DynamoDbFaultProxy {
  /** http://127.0.0.1:<port>: DynamoDB's endpoint as the stack sees it. */
  url: string;
  /** Fails every request matching the rule until `heal()`. */
  fail(rule: FaultRule): void;
  heal(): void;
  /** How many requests were failed so far. */
  failed(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function dynamoDbFaultProxy(target: string): Promise<DynamoDbFaultProxy> {
  const { hostname, port } = new URL(target);
  let rule: FaultRule | undefined;
  let failed = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (rule && operation === rule.operation && body.toString('utf8').includes(rule.bodyIncludes)) {
        failed += 1;
        const payload = JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: `injected fault in ${operation}` });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
        return;
      }
      const upstream = request({ host: hostname, port: Number(port), method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    fail: (r) => {
      rule = r;
    },
    heal: () => {
      rule = undefined;
    },
    failed: () => failed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
