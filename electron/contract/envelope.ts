import { z } from 'zod';
import { ApiErrorShape } from './errors.js';

/**
 * The wire format shared by every transport (Electron IPC, WebSocket,
 * in-memory). Transports move these as JSON text and know nothing else.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const CallMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  params: z.unknown(),
});
export type CallMessage = z.infer<typeof CallMessage>;

export const ResultMessage = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.literal(false), error: ApiErrorShape }),
]);
export type ResultMessage = z.infer<typeof ResultMessage>;

export const EventMessage = z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() });
export type EventMessage = z.infer<typeof EventMessage>;

export const HostMessage = z.union([ResultMessage, EventMessage]);
export type HostMessage = z.infer<typeof HostMessage>;
