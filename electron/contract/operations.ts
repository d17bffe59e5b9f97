import { z } from 'zod';
import { method, noParams, ok } from './define.js';

/**
 * Running the terminal: out of service with a notice (maintenance mode),
 * restart, log export, and the facts staff need for it (uptime, restarts).
 * `maintenance.status` is for every screen (the renderer shows the notice);
 * everything else is for staff (a staff PIN session). The platform asks for
 * the same actions through heartbeat replies (platform/contract.ts).
 */

/** The information desk citizens are sent to ("请到1号咨询台"): a short label, usually a number. */
export const DeskLabel = z.string().regex(/^[\p{L}\p{N}-]{1,16}$/u, '1–16 letters, digits or dashes');

export const MaintenanceView = z.object({
  outOfService: z.boolean(),
  /** Shown in the notice: "本机暂停服务，请到{desk}号咨询台"; null = no desk known (the notice then says "staff"). */
  desk: z.string().nullable(),
  /** When the kiosk went out of service; null while in service. */
  since: z.string().nullable(),
  /** Who put it out of service. */
  by: z.enum(['staff', 'platform']).nullable(),
  /** The platform asked for a change that waits for the current citizen's visit to end. */
  pending: z.enum(['maintenance.enter', 'maintenance.exit', 'restart']).nullable(),
});
export type MaintenanceView = z.infer<typeof MaintenanceView>;

export const RestartView = z.object({ at: z.string(), what: z.string(), reason: z.string() });
export type RestartView = z.infer<typeof RestartView>;

/** A directory staff may export logs to: a configured one, or a drive mounted directly inside it. */
export const LogTargetView = z.object({ path: z.string(), available: z.boolean() });
export type LogTargetView = z.infer<typeof LogTargetView>;

export const OperationsView = z.object({
  maintenance: MaintenanceView,
  uptimeSeconds: z.number().int().nonnegative(),
  restartsSinceBoot: z.number().int().nonnegative(),
  /** Newest first (the supervisor's record). */
  restarts: z.array(RestartView),
  logTargets: z.array(LogTargetView),
  /** A platform is configured, so logs can be uploaded to it. */
  canUpload: z.boolean(),
});
export type OperationsView = z.infer<typeof OperationsView>;

export const LogExportResult = z.object({
  /** Where the files went (a directory) or `platform`. */
  destination: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Older lines were left out to fit the upload limit (platform uploads only). */
  truncated: z.boolean(),
});
export type LogExportResult = z.infer<typeof LogExportResult>;

export const operationsApi = {
  'maintenance.status': method(noParams, MaintenanceView),
  /** Staff: out of service (with the desk to send citizens to; default from config/content) or back in service. */
  'maintenance.set': method(z.object({ outOfService: z.boolean(), desk: DeskLabel.optional() }).strict(), MaintenanceView),
  /** Staff: uptime, restart history, log export targets. */
  'ops.status': method(noParams, OperationsView),
  /** Staff: restart the kiosk (the supervisor brings it back). Answers before the restart begins. */
  'ops.restart': method(noParams, ok),
  /** Staff: copy the (already redacted) log files to one of the offered targets, or upload them to the platform. */
  'ops.exportLogs': method(z.object({ to: z.union([z.object({ directory: z.string().min(1).max(500) }).strict(), z.literal('platform')]) }).strict(), LogExportResult),
};

export const operationsEvents = {
  'maintenance.changed': MaintenanceView,
};
