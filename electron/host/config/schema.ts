import { z } from 'zod';
import { idCardReaderConfigSchema } from '../../../devices/idcard/index.js';
import { receiptPrinterConfigSchema } from '../../../devices/printer/index.js';

/**
 * The kiosk's configuration: one JSON file, this schema, these defaults. The
 * embedded default needs nothing: simulated devices, the demo hall content, a
 * local data directory (and, for the demo only, the developer panel). Every device section is a tagged union so that a
 * hall switches from simulator to hardware by changing `kind`.
 */
const port = z.number().int().min(0).max(65535);

/** https anywhere; http only to a loopback address. */
export function isAllowedPlatformUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The reader's own schema (devices/idcard) plus `none` for a terminal without a reader. */
export const IdCardReaderConfig = z.discriminatedUnion('kind', [...idCardReaderConfigSchema.options, z.object({ kind: z.literal('none') }).strict()]);

/** The printer's own schema (devices/printer) plus `none`. A simulator without outDir writes jobs to `<dataDir>/printer-jobs`. */
export const PrinterConfig = z.discriminatedUnion('kind', [...receiptPrinterConfigSchema.options, z.object({ kind: z.literal('none') }).strict()]);

export const ScannerConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulator') }).strict(),
  z.object({ kind: z.literal('sane'), device: z.string().min(1), saneConfigDir: z.string().optional() }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);

export const KioskConfig = z
  .object({
    terminalId: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, dot, dash or underscore (1–64)').default('kiosk-01'),
    /**
     * The staff screen's PIN (4–8 digits) as a scrypt hash (`npm run hall -- hash-pin 246810`): no plaintext PIN in
     * config. Lockout and failure log as for the hall's counters (electron/host/staff/credentials.ts). Without it staff features are off.
     */
    staffPinHash: z.string().regex(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'a scrypt hash from `npm run hall -- hash-pin <PIN>`').optional(),
    /** Refused: a plaintext PIN. */
    staffPin: z.undefined({ error: 'a plaintext staffPin is no longer accepted: put `npm run hall -- hash-pin <PIN>` in staffPinHash' }).optional(),
    /** Where storage, logs, keys and saved PDFs live. Default: LIULIU_DATA_DIR, else the user's data dir. */
    dataDir: z.string().min(1).optional(),
    /** A content package directory (hall.json, services.json, intents.json). Default: the shipped demo hall. */
    contentDir: z.string().min(1).optional(),
    defaultLocale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    /**
     * Shows the simulator panel (place/remove a card…). Off unless a config turns it on: a hall
     * terminal that forgot to set it never shows it. The embedded demo (no config file) turns it on.
     */
    developerMode: z.boolean().default(false),
    browserShell: z
      .object({
        host: z.literal('127.0.0.1').default('127.0.0.1'),
        port: port.default(0),
        chromiumPath: z.string().optional(),
        /** Extra Chromium flags for the kiosk window, e.g. `--ozone-platform=wayland` under cage (deploy/). */
        chromiumArgs: z.array(z.string().regex(/^--[\w-]+(=.*)?$/, 'a --flag or --flag=value')).default([]),
      })
      .strict()
      .prefault({}),
    session: z
      .object({
        idleTimeoutSeconds: z.number().int().min(10).max(3600).default(90),
        countdownSeconds: z.number().int().min(3).max(60).default(15),
        onCardRemoved: z.enum(['keep', 'end']).default('keep'),
      })
      .strict()
      .refine((s) => s.countdownSeconds < s.idleTimeoutSeconds, { message: 'countdownSeconds must be shorter than idleTimeoutSeconds', path: ['countdownSeconds'] })
      .prefault({}),
    devices: z
      .object({
        idcard: IdCardReaderConfig.default({ kind: 'simulator' }),
        printer: PrinterConfig.default({ kind: 'simulator' }),
        scanner: ScannerConfig.default({ kind: 'simulator' }),
      })
      .strict()
      .prefault({}),
    /** 4-digit code of this terminal inside pre-acceptance numbers (assigned by the hall; default derived from terminalId). */
    terminalCode: z.string().regex(/^\d{4}$/, 'four digits').optional(),
    /** A4 documents (guides, receipts, results): the CUPS queue to print on; without one they are saved under <dataDir>/documents. */
    documents: z
      .object({
        printer: z.string().min(1).optional(),
        /** Where the QR code on a receipt points citizens to check progress. */
        queryUrlBase: z.string().regex(/^https?:\/\/[^\s]+$/, 'expected an http(s) URL').optional(),
      })
      .strict()
      .prefault({}),
    /** The central platform. Without a baseUrl the terminal works offline and keeps everything in its outbox. */
    platform: z
      .object({
        baseUrl: z.string().regex(/^https?:\/\/[^\s]+$/, 'expected http(s)://host[:port][/prefix]').optional(),
        /** The terminal's shared secret: inline (tests), or better a file readable only by the kiosk user. */
        secret: z.string().min(16).optional(),
        secretFile: z.string().min(1).optional(),
        /**
         * 一号: the hall's citizen-key secret, shared with the platform (`--citizen-key-secret`): the kiosk asks for a citizen's
         * earlier materials by HMAC-SHA256(this, ID number), never the number. Inline (tests) or a file; without one, no reuse.
         */
        citizenKeySecret: z.string().min(16).optional(),
        citizenKeySecretFile: z.string().min(1).optional(),
        /**
         * The platform's public address, as a citizen's phone opens it: the QR on a consultation slip points to
         * `<publicUrl>/m/consultations/<token>`. Without one (or a loopback one) slips carry no QR and the staff screen says so.
         */
        publicUrl: z.string().regex(/^https?:\/\/[^\s]+$/, 'expected http(s)://host[:port][/prefix]').optional(),
        batchSize: z.number().int().min(1).max(1000).default(200),
        intervalSeconds: z.number().int().min(1).max(3600).default(30),
        retentionDays: z.number().int().min(0).max(365).default(7),
      })
      .strict()
      .refine((p) => p.baseUrl === undefined || p.secret !== undefined || p.secretFile !== undefined, { message: 'a platform baseUrl needs secret or secretFile', path: ['secret'] })
      // Records carry names, ID numbers and addresses: over the network only with TLS. Plain http only to this machine (tests, a local platform).
      .refine((p) => p.baseUrl === undefined || isAllowedPlatformUrl(p.baseUrl), {
        message: 'platform.baseUrl must be https:// (plain http:// only to 127.0.0.1, ::1 or localhost): records carry personal data',
        path: ['baseUrl'],
      })
      .prefault({}),
    /**
     * The hall queue (排队叫号). `embedded`: this kiosk is the hall's queue and serves
     * the counter and display pages itself; `remote`: a standalone hall service
     * (`npm run hall`) serves several kiosks. README "Queue tickets".
     */
    queue: z
      .object({
        mode: z.enum(['embedded', 'remote']).default('embedded'),
        /** remote: the hall service's WebSocket, `ws://hall-server:8790/ws`. */
        url: z.string().regex(/^wss?:\/\/[^\s]+$/, 'expected ws://host:port/ws').optional(),
        /**
         * remote: this kiosk's own key (`npm run hall -- kiosk-add <terminalId>` on the hall server; the hall secret
         * only while the hall has registered no kiosks). It is proved on every connection and never sent.
         * embedded: the hall secret; default = a random one kept in <dataDir>/keys/hall.secret.
         */
        secret: z.string().min(8).optional(),
        /** remote over wss://: the hall's certificate (or its CA) as a PEM file, when no public CA signed it. */
        tlsCaFile: z.string().min(1).optional(),
        /** embedded: where the hall server listens for counters and displays (a hall sets host 0.0.0.0). */
        listen: z
          .object({ host: z.string().min(1).default('127.0.0.1'), port: port.default(8790) })
          .strict()
          .prefault({}),
        /** embedded: counter staff, `{staffId, pinHash}` (hash: `npm run hall -- hash-pin 1234`), optionally limited to windows. */
        counters: z
          .array(z.object({ staffId: z.string().min(1).max(100), pinHash: z.string().startsWith('scrypt$'), windows: z.array(z.string().regex(/^\d{1,3}$/)).optional() }).strict())
          .default([]),
        /** embedded: the hall manager's PIN hash (`npm run hall -- hash-pin …`): opens the statistics page `/stats/`. Without it the page stays shut. */
        managerPinHash: z.string().startsWith('scrypt$').optional(),
        /** Start of the URL in the ticket's QR code (the ticket id is appended as `/t/<id>`). Default: the hall server's own URL. */
        publicBaseUrl: z.string().regex(/^https?:\/\/[^\s]+$/, 'expected http(s)://host[:port][/prefix]').optional(),
        /** Developer machines and E2E tests only (honoured only with developerMode): issue at any hour. A hall never sets it. */
        ignoreOpeningHours: z.boolean().default(false),
        /** embedded: the appointment check-in window around the slot's start. */
        appointmentWindow: z
          .object({ earlyMinutes: z.number().int().min(0).max(240).default(30), lateMinutes: z.number().int().min(0).max(240).default(15) })
          .strict()
          .prefault({}),
      })
      .strict()
      .refine((q) => q.mode === 'embedded' || (q.url !== undefined && q.secret !== undefined), { message: 'remote mode needs url and secret', path: ['url'] })
      .prefault({}),
    /** Running the kiosk (electron/host/operations): maintenance mode and log export. README "Maintenance mode". */
    operations: z
      .object({
        /** The information desk the out-of-service notice sends citizens to ("请到1号咨询台"). Default: 1 when the content lists an information desk. */
        desk: z.string().regex(/^[\p{L}\p{N}-]{1,16}$/u, '1–16 letters, digits or dashes').optional(),
        /** Directories staff may export logs to, and any drive mounted directly inside one (e.g. /media/kiosk). `<dataDir>/exports` is always offered. */
        logExportDirs: z.array(z.string().min(1)).max(10).default([]),
      })
      .strict()
      .prefault({}),
    logging: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().prefault({}),
  })
  .strict();

export type KioskConfig = z.infer<typeof KioskConfig>;
export type KioskConfigInput = z.input<typeof KioskConfig>;
