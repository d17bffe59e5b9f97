import { z } from 'zod';
import { method, noParams } from './define.js';
import { DeviceReasonMessage } from './messages.js';

/** Terminal-wide facts and device health. */
export const DeviceKind = z.enum(['idcard', 'printer', 'scanner', 'robot', 'hall', 'platform', 'storage']);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const DeviceStatus = z.object({
  device: DeviceKind,
  state: z.enum(['ok', 'disconnected', 'error', 'degraded', 'starting']),
  /** Why it is not ok (or a note on how it runs), for staff: a device code (electron/common/device-reasons.ts) the renderer translates. */
  reason: DeviceReasonMessage.optional(),
  /** e.g. `simulator`, `serial:/dev/ttyUSB0`, `tcp://10.0.0.5:9100` */
  endpoint: z.string().optional(),
  since: z.string(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

export const OpeningHoursSummary = z.object({ summary: z.string() });

export const SystemInfo = z.object({
  product: z.literal('Liuliu'),
  version: z.string(),
  terminalId: z.string(),
  hallName: z.string(),
  hallFullName: z.string(),
  robotName: z.string(),
  defaultLocale: Locale,
  openingHours: z.string(),
  phone: z.string(),
  hotline: z.string(),
  contentVersion: z.string(),
  bootMs: z.number(),
  /** Developer panel (simulators) is on: never in a hall's production config. */
  developerMode: z.boolean(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

/** What the supervisor restarted or reloaded: `host` (the Node host), `window` (Chromium / Electron), `renderer` (the page). */
export const SupervisedPart = z.enum(['host', 'window', 'renderer']);
export type SupervisedPart = z.infer<typeof SupervisedPart>;

/** One entry of the supervisor's restart record: when, what died or hung, why, and what was done about it. */
export const RestartRecord = z.object({
  at: z.string(),
  part: SupervisedPart,
  /** Plain words for staff, e.g. `exited with signal SIGKILL`, `no heartbeat for 6 s`. */
  reason: z.string().max(500),
  /** `restart` a process, `reload` the page, `relaunch` the window after repeated reload failures. */
  action: z.enum(['restart', 'reload', 'relaunch']),
  /** The crash-loop backoff waited this long before acting. */
  delayMs: z.number().int().nonnegative(),
});
export type RestartRecord = z.infer<typeof RestartRecord>;

/** The supervisor's record since it started (the newest entries last; older ones beyond the cap are dropped). */
export const RestartLog = z.object({
  /** Null when the kiosk runs without the supervisor (tests, tools). */
  supervisorStartedAt: z.string().nullable(),
  restarts: z.array(RestartRecord),
});
export type RestartLog = z.infer<typeof RestartLog>;

export const systemApi = {
  'system.info': method(noParams, SystemInfo),
  'system.ping': method(z.object({ echo: z.string().max(200).optional() }).strict(), z.object({ echo: z.string().optional(), at: z.string() })),
  'devices.status': method(noParams, z.array(DeviceStatus)),
  /** Staff only: every restart the supervisor made (time, what died, why). */
  'system.restarts': method(noParams, RestartLog),
  /** The renderer reports that it has drawn its first screen (timing, health). */
  'ui.ready': method(z.object({ screen: z.string().max(50), msSinceNavigation: z.number().nonnegative() }).strict(), z.object({ ok: z.literal(true) })),
};

export const systemEvents = {
  'device.status': DeviceStatus,
};
