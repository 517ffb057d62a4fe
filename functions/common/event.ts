/**
 * The error boundary of the event functions (verify-upload, sweep, archive-run's schedule,
 * archive-verify, notify-sender), as functions/common/http.ts is for the HTTP ones: each log line
 * carries the Lambda context and the trigger (fixed, or named from the event); a failure is logged once, with its stack, and
 * rethrown so Lambda retries the event (and after the retries sends it to the function's DLQ).
 */
import type { Context } from 'aws-lambda';
import { logger } from './runtime';

export function eventHandler<E, C extends Partial<Context> | undefined, R>(
  trigger: string | ((event: E) => string),
  handle: (event: E, context: C) => Promise<R>,
): undefined extends C ? (event: E, context?: C) => Promise<R> : (event: E, context: C) => Promise<R> {
  return (async (event: E, context: C) => {
    if (context?.functionName) logger.addContext(context as Context);
    logger.appendKeys({ trigger: typeof trigger === 'function' ? trigger(event) : trigger });
    try {
      return await handle(event, context);
    } catch (err) {
      logger.error('event failed; retried by Lambda', { error: err as Error });
      throw err;
    } finally {
      logger.resetKeys();
    }
  }) as undefined extends C ? (event: E, context?: C) => Promise<R> : (event: E, context: C) => Promise<R>;
}
