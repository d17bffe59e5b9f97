import { z } from 'zod';

/** One request/response call of the host API: what goes in, what comes back. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
}

export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R): MethodSpec<P, R> {
  return { params, result };
}

/** A call with no arguments. */
export const noParams = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });
