import { z } from 'zod';
import { method, noParams } from './define.js';

/** Terminal-wide facts and device health. */
export const DeviceKind = z.enum(['idcard', 'printer', 'scanner', 'robot', 'hall', 'platform', 'storage']);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const DeviceStatus = z.object({
  device: DeviceKind,
  state: z.enum(['ok', 'disconnected', 'error', 'degraded', 'starting']),
  /** Plain words for staff: why it is not ok. */
  reason: z.string().optional(),
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

export const systemApi = {
  'system.info': method(noParams, SystemInfo),
  'system.ping': method(z.object({ echo: z.string().max(200).optional() }).strict(), z.object({ echo: z.string().optional(), at: z.string() })),
  'devices.status': method(noParams, z.array(DeviceStatus)),
  /** The renderer reports that it has drawn its first screen (timing, health). */
  'ui.ready': method(z.object({ screen: z.string().max(50), msSinceNavigation: z.number().nonnegative() }).strict(), z.object({ ok: z.literal(true) })),
};

export const systemEvents = {
  'device.status': DeviceStatus,
};
