import { z } from 'zod';
import { RestartRecord } from './system.js';

/**
 * The supervisor ↔ supervised-process boundary (electron/supervisor and the
 * processes it runs: the browser shell's host, Electron's main process),
 * carried over Node's IPC channel — a socketpair private to the two
 * processes, so the start token never appears in an argument list or an
 * environment another account can read.
 */
export const ToSupervised = z.discriminatedUnion('type', [
  /** Browser shell host: serve on this port and accept this token (the supervisor keeps both across host restarts). */
  z.object({ type: z.literal('start'), port: z.number().int().min(1).max(65535), token: z.string().min(20).max(200) }).strict(),
  /** Stop cleanly and exit. */
  z.object({ type: z.literal('stop') }).strict(),
]);
export type ToSupervised = z.infer<typeof ToSupervised>;

export const FromSupervised = z.discriminatedUnion('type', [
  /** Serving (browser shell: on `port`). */
  z.object({ type: z.literal('ready'), port: z.number().int().min(1).max(65535).optional() }).strict(),
  /** Heartbeat, every second; the browser shell host adds how long ago the page last beat (null: no page yet). */
  z.object({ type: z.literal('alive'), pageBeatAgoMs: z.number().nonnegative().nullable().optional() }).strict(),
  /** Something the process recovered by itself (Electron: a reloaded renderer), for the restart record. */
  z.object({ type: z.literal('recovered'), record: RestartRecord }).strict(),
]);
export type FromSupervised = z.infer<typeof FromSupervised>;

/** How often a supervised process sends `alive`. */
export const HEARTBEAT_INTERVAL_MS = 1_000;
