import { z } from 'zod';
import { UserMessage } from './messages.js';

/**
 * Errors cross the API as values, never as exceptions: every reply is
 * `{ ok: true, value }` or `{ ok: false, error }`.
 */
export const errorCodes = [
  'bad_request', // the message or its params failed validation
  'unknown_method',
  'not_found',
  'conflict',
  'unavailable', // a device or service is not there right now
  'refused', // a rule says no (closed hall, invalid card…)
  'internal',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorShape = z.object({
  code: ErrorCode,
  /** English, for logs and developers; never shown to the citizen. */
  message: z.string(),
  /** What to tell the citizen (translated by the renderer); absent = the renderer's words for `code`. */
  say: UserMessage.optional(),
  /** Machine-readable detail for the UI (e.g. the field that failed). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

/**
 * Thrown by host handlers; the RPC layer turns it into an error reply. The
 * second argument is either English text for logs and developers (nothing
 * for the citizen beyond the renderer's words for `code`) or a message code
 * with parameters for the citizen.
 */
export class ApiError extends Error {
  readonly say: UserMessage | undefined;

  constructor(
    readonly code: ErrorCode,
    messageOrSay: string | UserMessage,
    readonly details?: Record<string, unknown>,
  ) {
    super(typeof messageOrSay === 'string' ? messageOrSay : `${messageOrSay.code} ${JSON.stringify(messageOrSay.params)}`);
    this.say = typeof messageOrSay === 'string' ? undefined : messageOrSay;
    this.name = 'ApiError';
  }
}
