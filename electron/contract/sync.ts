import { z } from 'zod';
import { method, noParams, ok } from './define.js';

/**
 * Sync with the central platform, as the renderer sees it: the status any
 * screen may show, and the staff-only controls (sync now, dead letters)
 * behind a staff PIN session. Records themselves never cross this contract.
 */
export const SyncStatusView = z.object({
  /** A platform baseUrl and secret are configured; false = the terminal keeps everything in its outbox. */
  configured: z.boolean(),
  /** The platform answered the last exchange and accepted our credentials. */
  online: z.boolean(),
  /** Records waiting to be synced. */
  backlog: z.number().int().nonnegative(),
  /** Records the platform refused for good. */
  deadLetters: z.number().int().nonnegative(),
  /** End of the last cycle in which everything due was acknowledged. */
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type SyncStatusView = z.infer<typeof SyncStatusView>;

/** A dead letter without its payload (the payload may be personal and stays sealed on the terminal). */
export const DeadLetterView = z.object({
  id: z.string(),
  kind: z.string(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  attempts: z.number().int().nonnegative(),
  reason: z.string(),
  deadAt: z.string().nullable(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

/** 4–8 digits; config holds only its hash, `staffPinHash`. */
export const StaffPin = z.string().regex(/^\d{4,8}$/, '4 to 8 digits');

export const StaffSessionView = z.object({
  /** The staff session ends by itself after this time without a staff call. */
  expiresAt: z.string(),
});
export type StaffSessionView = z.infer<typeof StaffSessionView>;

export const syncApi = {
  'sync.status': method(noParams, SyncStatusView),
  /** Staff: runs a full sync cycle now and answers with the status after it. */
  'sync.now': method(noParams, SyncStatusView),
  /** Staff: records the platform refused for good, in queue order. */
  'sync.deadLetters': method(noParams, z.array(DeadLetterView)),
  /** Opens a staff session (refused: wrong PIN, too many attempts, or no staffPinHash configured). */
  'staff.login': method(z.object({ pin: StaffPin }).strict(), StaffSessionView),
  'staff.logout': method(noParams, ok),
};

export const syncEvents = {
  'sync.status': SyncStatusView,
};
