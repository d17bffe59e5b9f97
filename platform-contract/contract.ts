import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * The terminal ↔ platform contract in code: one set of zod schemas used by the
 * reference server (platform/server.ts) and the terminal's sync client
 * (electron/host/sync). platform-contract/openapi.yaml is the published form of the
 * same contract; contract.test.ts keeps the two in step.
 */

export const PATHS = {
  recordsBatch: '/v1/records:batch',
  contentCurrent: '/v1/content/current',
  contentPackage: '/v1/content/packages/{version}',
  caseStatusChanges: '/v1/cases/status-changes',
  heartbeat: '/v1/heartbeat',
  blob: '/v1/blobs/{sha256}',
  replies: '/v1/replies',
  logsUpload: '/v1/logs',
  materials: '/v1/materials',
  appointments: '/v1/appointments',
} as const;

export function contentPackagePath(version: string): string {
  return PATHS.contentPackage.replace('{version}', encodeURIComponent(version));
}

/** Request headers of the HMAC scheme (platform-contract/auth.ts). Node lower-cases header names. */
export const AUTH_HEADERS = {
  terminal: 'x-liuliu-terminal',
  timestamp: 'x-liuliu-timestamp',
  nonce: 'x-liuliu-nonce',
  signature: 'x-liuliu-signature',
} as const;

export const MAX_BATCH_RECORDS = 500;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex sha256');
const isoDateTime = z.iso.datetime({ offset: true });

/** Client-generated, so safe to resend: the platform's idempotency key. */
export const RecordId = z.string().regex(/^[\w.:-]{1,128}$/, 'record ids are 1–128 characters of [A-Za-z0-9_.:-]');

export const SyncRecord = z.object({
  id: RecordId,
  kind: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, 'record kinds are lower-case dotted names'),
  schemaVersion: z.number().int().min(1),
  payload: z.record(z.string(), z.unknown()),
  createdAt: isoDateTime,
});
export type SyncRecord = z.infer<typeof SyncRecord>;

export const BatchRequest = z.object({ records: z.array(SyncRecord).min(1).max(MAX_BATCH_RECORDS) });
export type BatchRequest = z.infer<typeof BatchRequest>;

export const AckStatus = z.enum(['accepted', 'duplicate', 'rejected']);
export type AckStatus = z.infer<typeof AckStatus>;

/** `rejected` is permanent: the terminal dead-letters the record and never resends it. */
export const RecordAck = z.object({ id: z.string(), status: AckStatus, reason: z.string().optional() });
export type RecordAck = z.infer<typeof RecordAck>;

/** A response may acknowledge only part of the batch; unacknowledged records are simply resent. */
export const BatchResponse = z.object({ acks: z.array(RecordAck), serverTime: isoDateTime });
export type BatchResponse = z.infer<typeof BatchResponse>;

/** Content versions name directories on the terminal, so they are plain file-name-safe words. */
export const ContentVersion = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'content versions are 1–64 characters of [A-Za-z0-9_.-], not starting with a dot')
  .refine((version) => version !== 'current', '"current" names the terminal\'s pointer file, not a version');

/** The ETag of /v1/content/current: version and hash, since one package may be republished under a new version. */
export function contentEtag(version: string, sha256: string): string {
  return `"${version}:${sha256}"`;
}

export const ContentCurrent = z.object({ version: ContentVersion, sha256: sha256Hex, size: z.number().int().nonnegative(), publishedAt: isoDateTime });
export type ContentCurrent = z.infer<typeof ContentCurrent>;

const relativePath = z
  .string()
  .max(200)
  .refine((path) => path.split('/').every((segment) => /^[\w-][\w.-]*$/.test(segment)), 'file paths are relative, with no "." or ".." segments');

export const ContentFile = z.object({ path: relativePath, sha256: sha256Hex, base64: z.string() });
export type ContentFile = z.infer<typeof ContentFile>;

/** The three content files every package holds; the package hash covers them in this order. */
export const CONTENT_FILES = ['hall.json', 'services.json', 'intents.json'] as const;

export const ContentBundle = z.object({
  version: ContentVersion,
  /** sha256 over hall.json ‖ services.json ‖ intents.json bytes: the same hash the host's content loader computes. */
  sha256: sha256Hex,
  publishedAt: isoDateTime,
  /** The three content files, then any model files (e.g. `models/intent/weights.bin`). */
  files: z.array(ContentFile).min(CONTENT_FILES.length),
});
export type ContentBundle = z.infer<typeof ContentBundle>;

/** The package hash over the three content files in CONTENT_FILES order; undefined when one is missing. */
export function contentPackageHash(files: ReadonlyMap<string, Buffer>): string | undefined {
  const hash = createHash('sha256');
  for (const name of CONTENT_FILES) {
    const bytes = files.get(name);
    if (bytes === undefined) return undefined;
    hash.update(bytes);
  }
  return hash.digest('hex');
}

export const CaseStatusChange = z.object({
  seq: z.number().int().positive(),
  caseId: z.string().min(1).max(128),
  status: z.string().min(1).max(64),
  note: z.string().max(2000).optional(),
  changedAt: isoDateTime,
});
export type CaseStatusChange = z.infer<typeof CaseStatusChange>;

/** `cursor` is opaque to the terminal: send it back unchanged to continue. */
export const CaseStatusPage = z.object({ changes: z.array(CaseStatusChange), cursor: z.string().max(200), more: z.boolean() });
export type CaseStatusPage = z.infer<typeof CaseStatusPage>;

export const DeviceStatus = z.object({
  state: z.enum(['ok', 'disconnected', 'error', 'degraded', 'starting']),
  reason: z.string().max(500).optional(),
});

const count = z.number().int().nonnegative();

/** One restart the supervisor made: when, what died (host, renderer, browser…), and why. */
export const RestartRecord = z.object({ at: isoDateTime, what: z.string().min(1).max(64), reason: z.string().max(500) });
export type RestartRecord = z.infer<typeof RestartRecord>;

/** What the terminal did with a command from a heartbeat reply; reported until a reply has seen it. */
export const CommandResult = z.object({ id: z.string().min(1).max(64), outcome: z.enum(['done', 'failed']), message: z.string().max(500).optional(), at: isoDateTime });
export type CommandResult = z.infer<typeof CommandResult>;

/** Out of service: the kiosk shows a notice sending citizens to an information desk. */
export const MaintenanceState = z.object({ outOfService: z.boolean(), desk: z.string().max(16).nullable(), since: isoDateTime.nullable() });
export type MaintenanceState = z.infer<typeof MaintenanceState>;

/** Receipt paper as the printer last reported it; `none` = no receipt printer configured. */
export const PaperState = z.enum(['ok', 'near-end', 'out', 'unknown', 'none']);
export type PaperState = z.infer<typeof PaperState>;

/**
 * A heartbeat. The fields after `devices` were added for fleet monitoring;
 * they are optional so that terminals of an older release still report.
 */
export const Heartbeat = z.object({
  at: isoDateTime,
  appVersion: z.string().min(1).max(64),
  contentVersion: z.string().max(64).nullable(),
  backlog: count,
  deadLetters: count,
  devices: z.record(z.string(), DeviceStatus),
  /** Seconds since the host started. */
  uptimeSeconds: count.optional(),
  /** Restarts the supervisor made since the machine booted, and the last one. */
  restartsSinceBoot: count.optional(),
  lastRestart: RestartRecord.nullable().optional(),
  /** Free and total bytes of the file system holding the data directory. */
  dataDirFreeBytes: count.optional(),
  dataDirTotalBytes: count.optional(),
  /** The host process's resident memory, and the machine's free and total memory. */
  hostRssBytes: count.optional(),
  systemFreeMemoryBytes: count.optional(),
  systemTotalMemoryBytes: count.optional(),
  /** Age of the oldest record still waiting in the outbox; null = nothing waiting. */
  oldestPendingSeconds: count.nullable().optional(),
  /** Queue tickets issued offline that the hall service has not taken yet. */
  offlineTicketsWaiting: count.optional(),
  printerPaper: PaperState.optional(),
  /** Hash prefixes of the content package and the intent model in force. */
  contentHash: z.string().max(64).optional(),
  modelVersion: z.string().max(64).nullable().optional(),
  maintenance: MaintenanceState.optional(),
  commandResults: z.array(CommandResult).max(100).optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/**
 * What the platform may ask a terminal to do, carried in heartbeat replies
 * until the terminal reports it in `commandResults`. The terminal checks each
 * command on its own, so one it does not know fails alone.
 */
export const TerminalCommand = z.discriminatedUnion('type', [
  z.object({ id: z.string().min(1).max(64), type: z.literal('maintenance.enter'), desk: z.string().min(1).max(16).optional() }),
  z.object({ id: z.string().min(1).max(64), type: z.literal('maintenance.exit') }),
  z.object({ id: z.string().min(1).max(64), type: z.literal('restart') }),
  z.object({ id: z.string().min(1).max(64), type: z.literal('logs.upload') }),
]);
export type TerminalCommand = z.infer<typeof TerminalCommand>;

/** A command as carried: id and type, checked as a TerminalCommand by the terminal. */
export const CommandEnvelope = z.looseObject({ id: z.string().min(1).max(64), type: z.string().min(1).max(64) });

export const HeartbeatResponse = z.object({ serverTime: isoDateTime, contentVersion: z.string().nullable(), commands: z.array(CommandEnvelope).max(20).optional() });
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

/** Log uploads are bounded as a whole (the JSON body): the terminal sends the newest lines that fit. */
export const MAX_LOG_UPLOAD_BYTES = 768 * 1024;

export const LogFile = z.object({ name: z.string().regex(/^[\w.-]{1,100}$/), text: z.string(), truncated: z.boolean() });
export type LogFile = z.infer<typeof LogFile>;

/** The terminal's (already redacted) log files, newest first; `commandId` when the platform asked for them. */
export const LogUpload = z.object({ at: isoDateTime, commandId: z.string().min(1).max(64).optional(), files: z.array(LogFile).max(50) });
export type LogUpload = z.infer<typeof LogUpload>;

export const LogUploadResponse = z.object({ id: z.string(), bytes: count });
export type LogUploadResponse = z.infer<typeof LogUploadResponse>;

export const ErrorCode = z.enum([
  'missing_auth',
  'unknown_terminal',
  'revoked_terminal',
  'timestamp_out_of_window',
  'bad_signature',
  'replayed',
  'too_many_requests',
  'bad_request',
  'body_too_large',
  'not_found',
  'internal',
  'chunk_out_of_order',
  'hash_mismatch',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({ error: z.object({ code: ErrorCode, message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Blobs (scanned pages): content-addressed by the SHA-256 of their bytes and
 * uploaded in chunks, each a signed `PUT /v1/blobs/{sha256}?offset=N&size=TOTAL`
 * with the raw bytes as body. `GET /v1/blobs/{sha256}` says how much the
 * platform holds, so an upload cut off (or a terminal killed) resumes at
 * `received`. A chunk must start exactly at `received`; a resent chunk that
 * ends at or before it is answered with the current status (idempotent). When
 * the last byte arrives the platform checks the hash; a mismatch discards the
 * whole upload. A `case` record naming a page the platform does not hold
 * complete is rejected.
 */
export const MAX_BLOB_BYTES = 16 * 1024 * 1024;
export const MAX_BLOB_CHUNK_BYTES = 256 * 1024;

export const BlobHash = sha256Hex;

export function blobPath(sha256: string, chunk?: { offset: number; size: number }): string {
  const path = PATHS.blob.replace('{sha256}', encodeURIComponent(sha256));
  return chunk === undefined ? path : `${path}?offset=${chunk.offset}&size=${chunk.size}`;
}

export const BlobStatus = z.object({
  sha256: sha256Hex,
  /** Declared total size in bytes. */
  size: z.number().int().nonnegative().max(MAX_BLOB_BYTES),
  /** Bytes held so far: the next chunk starts here. */
  received: z.number().int().nonnegative(),
  /** Every byte arrived and the hash matched. */
  complete: z.boolean(),
});
export type BlobStatus = z.infer<typeof BlobStatus>;

/** The page hashes a `case` record names (payload.materials[].pages[].sha256); [] for other kinds. */
export function casePageHashes(record: Pick<SyncRecord, 'kind' | 'payload'>): string[] {
  if (record.kind !== 'case') return [];
  const parsed = CasePages.safeParse(record.payload);
  if (!parsed.success) return [];
  return [...new Set(parsed.data.materials.flatMap((material) => material.pages.map((page) => page.sha256)))];
}

const CasePages = z.object({ materials: z.array(z.object({ pages: z.array(z.object({ sha256: sha256Hex })) })) });

/** A staff answer to a consultation or complaint a terminal sent (recordId = that record's id). */
export const Reply = z.object({
  seq: z.number().int().positive(),
  recordId: RecordId,
  kind: z.enum(['consultation', 'complaint']),
  text: z.string().min(1).max(2000),
  answeredAt: isoDateTime,
});
export type Reply = z.infer<typeof Reply>;

/** Replies to this terminal's records after the cursor; `cursor` is opaque, send it back unchanged. */
export const ReplyPage = z.object({ replies: z.array(Reply), cursor: z.string().max(200), more: z.boolean() });
export type ReplyPage = z.infer<typeof ReplyPage>;

/**
 * 一号: materials a citizen submitted before, found by the keyed hash of her
 * ID number (HMAC-SHA256 under the hall's citizen-key secret, shared by the
 * platform and its terminals) — the number itself never travels in a query.
 * A case reuses one by naming its `materialId` in `materials[].reusedMaterialId`;
 * the platform honours it only when the material's case has the same applicant.
 */
export function citizenLookupKey(secret: string, idNumber: string): string {
  return createHmac('sha256', secret).update(idNumber.trim().toUpperCase()).digest('hex');
}

/** How long a submitted material may be reused. */
export const MATERIAL_VALID_DAYS = 180;

export const ReusableMaterial = z.object({
  /** `<caseId>:<material index>`: what a new case names to reuse it. */
  materialId: z.string().min(3).max(200),
  name: z.string(),
  submittedAt: isoDateTime,
  validUntil: isoDateTime,
  pages: z.number().int().nonnegative(),
});
export type ReusableMaterial = z.infer<typeof ReusableMaterial>;

export const ReusableMaterials = z.object({ materials: z.array(ReusableMaterial) });
export type ReusableMaterials = z.infer<typeof ReusableMaterials>;

/**
 * The citizen's phone page for one consultation or complaint (the QR on her
 * slip): `<platform public URL>/m/consultations/<token>`. The token is 32
 * random bytes (base64url, 43 characters) made by the kiosk and printed only
 * on her slip; the record carries `replyPageKey` = hex SHA-256 of it, so the
 * platform finds the page without ever holding the token itself.
 */
export const REPLY_PAGE_PATH = '/m/consultations/';
export const REPLY_PAGE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function replyPageKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * 预约: an appointment booked on the platform for a hall, pulled by the hall
 * queue service (`GET /v1/appointments?cursor=`). It names the citizen only by
 * the keyed hash of her ID number (`citizenLookupKey`) and, at most, a masked
 * name; the short `code` is what she may type at the kiosk instead of placing
 * her card. A changed appointment (cancelled) comes again with a higher `seq`.
 */
export const APPOINTMENT_CODE_PATTERN = /^\d{8}$/;
export const AppointmentStatus = z.enum(['booked', 'cancelled']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;
export const Appointment = z.object({
  seq: z.number().int().positive(),
  id: RecordId,
  /** Eight digits, unique among the platform's appointments. */
  code: z.string().regex(APPOINTMENT_CODE_PATTERN, 'an appointment code is 8 digits'),
  citizenKey: sha256Hex,
  /** e.g. 张*丰: a masked name, never the full one. */
  maskedName: z.string().min(1).max(20).regex(/\*/, 'maskedName must be masked').optional(),
  serviceId: z.string().min(1).max(128),
  /** The hall queue category the citizen is served in. */
  categoryId: z.string().min(1).max(128),
  slotStart: isoDateTime,
  slotEnd: isoDateTime,
  status: AppointmentStatus,
});
export type Appointment = z.infer<typeof Appointment>;

/** Appointments booked or changed after the cursor; `cursor` is opaque, send it back unchanged. */
export const AppointmentPage = z.object({ appointments: z.array(Appointment), cursor: z.string().max(200), more: z.boolean() });
export type AppointmentPage = z.infer<typeof AppointmentPage>;
