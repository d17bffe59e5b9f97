import { z } from 'zod';

/**
 * Why a device (or a service the kiosk depends on) is not simply ok, as the
 * staff screen shows it: a message code with parameters, declared once here
 * so drivers (devices/, which may not import the contract) and the host
 * build the same thing. The contract's messages (electron/contract/messages.ts)
 * include every code, so a `DeviceHealth.reason` is a `UserMessage` on the
 * wire, checked by zod, and the renderer translates it like any other
 * (namespace `messages`, group `device`). Parameters are numbers, names and
 * technical details (an errno, a device path), never a sentence.
 */
const none = z.object({}).strict();
/** A technical detail for staff and logs (an error's message, an errno): shown as is. */
const detail = z.string().max(500);

/** Why a receipt printer refuses (devices/printer PrintFailureReason). */
export const PrinterFault = z.enum(['paper_out', 'cover_open', 'cutter_error', 'printer_error', 'offline', 'unreachable', 'timeout', 'disconnected', 'invalid_document', 'stopped']);

export const deviceReasonParams = {
  // Any device.
  'device.notConfigured': none,
  'device.stopped': none,
  'device.driverFailure': z.object({ detail }).strict(),
  // The ID-card reader.
  'device.idcardDisconnected': z.object({ detail }).strict(),
  'device.idcardUnresponsive': none,
  /** The SAM answered a status that puts the reader out of service: its status byte (`0x60`) and the manual's meaning in English. */
  'device.idcardOutOfService': z.object({ status: z.string().max(8), detail }).strict(),
  // The receipt printer.
  'device.printerFault': z.object({ reason: PrinterFault }).strict(),
  'device.printerPaperNearEnd': none,
  /** A one-way link (e.g. a plain TCP port that never answers status queries): printing works, paper and cover cannot be seen. */
  'device.printerBlindLink': none,
  // The document scanner.
  'device.scannerDisconnected': z.object({ device: z.string().max(200), detail }).strict(),
  'device.scannerError': z.object({ detail }).strict(),
  'device.scannerJammed': none,
  'device.scannerCoverOpen': none,
  // 浏浏 (the robot's intent model).
  'device.robotLoading': none,
  'device.robotLoaded': z.object({ loadMs: z.number().int().nonnegative() }).strict(),
  'device.robotLexicalOnly': z.object({ detail, loadMs: z.number().int().nonnegative().optional() }).strict(),
  'device.robotFailed': z.object({ detail }).strict(),
  // The hall queue service.
  'device.hallEmbedded': none,
  'device.hallPortBusy': z.object({ port: z.number().int(), detail }).strict(),
  'device.hallConnecting': none,
  'device.hallConnected': none,
  'device.hallOffline': none,
  // The central platform.
  'device.platformNotConfigured': none,
  'device.platformSecretUnreadable': z.object({ detail }).strict(),
  'device.platformSecretShort': z.object({ min: z.number().int() }).strict(),
  'device.platformConnecting': none,
  /** Not reachable: the last error when there is one. */
  'device.platformOffline': z.object({ detail: detail.nullable() }).strict(),
  'device.platformRejected': z.object({ records: z.number().int().positive() }).strict(),
  // The terminal's own storage.
  'device.storageFull': none,
  /** The database failed its start-up check and a fresh one is in use: what was found, where the old file went, when. */
  'device.storageRecovered': z.object({ problem: z.string().max(100), detail, movedTo: z.string().max(500).nullable(), at: z.string().max(40) }).strict(),
} as const satisfies Record<`device.${string}`, z.ZodType>;

export type DeviceReasonCode = keyof typeof deviceReasonParams;
export type DeviceReasonParamsOf<C extends DeviceReasonCode> = z.input<(typeof deviceReasonParams)[C]>;
/** Structurally a contract `UserMessage` whose code is a device code. */
export interface DeviceReason {
  code: DeviceReasonCode;
  params: Record<string, string | number | boolean | null>;
}

/** Builds a device reason, typed by its code and checked (a wrong parameter is a programming error, thrown at once). Details are cut to fit. */
export function deviceReason<C extends DeviceReasonCode>(code: C, params: DeviceReasonParamsOf<C>): DeviceReason {
  const fitted = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, typeof value === 'string' && value.length > 500 ? `${value.slice(0, 499)}…` : value]));
  const parsed = deviceReasonParams[code].parse(fitted) as Record<string, string | number | boolean | null>;
  return { code, params: parsed };
}

export function sameDeviceReason(a: DeviceReason | undefined, b: DeviceReason | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.code === b.code && JSON.stringify(a.params) === JSON.stringify(b.params);
}

/** One line for logs and the platform's fleet page (which has no translations): `device.printerFault reason=paper_out`. */
export function deviceReasonText(reason: DeviceReason): string {
  const params = Object.entries(reason.params)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key}=${String(value)}`);
  return [reason.code, ...params].join(' ');
}
