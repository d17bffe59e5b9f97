import { z } from 'zod';

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
  message: z.string(),
  /** Machine-readable detail for the UI (e.g. the field that failed). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

/** Thrown by host handlers; the RPC layer turns it into an error reply. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
