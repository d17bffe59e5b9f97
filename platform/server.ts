import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../electron/host/logging/logger.js';
import type { Database } from '../electron/host/storage/database.js';
import { DataKey, sameSecret } from '../electron/host/storage/crypto.js';
import { DEFAULT_WINDOW_SECONDS, ReplayCache, sha256Hex, verifyRequest, type TerminalCredentials } from '../platform-contract/auth.js';
import { CONTENT_FILES, ContentFile, ContentVersion, Heartbeat, LogUpload, MAX_BATCH_RECORDS, MAX_LOG_UPLOAD_BYTES, PATHS, contentEtag, contentPackageHash, type BatchResponse, type ContentBundle, type ErrorCode } from '../platform-contract/contract.js';
import { seededRandom } from '../electron/common/random.js';
import { decodeRequestPath, parseRequestTarget, type RequestTarget } from '../electron/host/http/request-target.js';
import { answerClientError, applyServerLimits, PAGE_SECURITY_HEADERS, type ServerLimits } from '../electron/host/http/server-limits.js';
import { FaultConfig, NO_FAULTS, partialSubset, planFaults, type FaultPlan } from './faults.js';
import { PlatformStore } from './store.js';
import { BlobRefusal, BlobStore } from './blobs.js';
import { casePageHashes, SyncRecord } from '../platform-contract/contract.js';
import { isReviewPath, reviewHandler, sendReviewError } from './review.js';
import { ReplyStore } from './replies.js';
import { HolidayCalendar } from './deadlines.js';
import { FleetStore, NewCommand, renderFleetPage, type FleetOptions } from './fleet.js';
import { MaterialIndex } from './materials.js';
import { AppointmentRefusal, AppointmentStore } from './appointments.js';

/**
 * The reference platform: implements platform-contract/openapi.yaml over node:http
 * with its own SQLite store, plus /admin endpoints (bearer token) that tests
 * and the bench use to publish content, post case status changes, manage
 * terminals, read counts and switch fault injection.
 */
/** The fleet page is one server-rendered document: inline styles only, no script, never framed. */
const FLEET_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface PlatformServerOptions {
  db: Database;
  adminToken: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  terminals?: readonly { id: string; secret: string }[];
  maxBodyBytes?: number;
  windowSeconds?: number;
  faults?: Partial<FaultConfig>;
  /** Seed for fault draws; omitted = Math.random. */
  seed?: number;
  logger: Logger;
  now?: () => Date;
  /** Seals blob chunks at rest (scripts/platform.ts: `<dataDir>/keys/blob.key`); omitted = a key held in memory for this run (tests). */
  blobKey?: DataKey;
  /** Holidays and make-up working days for the reply and pre-acceptance deadlines; default: weekends only. */
  calendar?: HolidayCalendar;
  /** Heartbeat history and log uploads kept per terminal, and when a silent terminal counts as stale (platform/fleet.ts). */
  fleet?: Partial<FleetOptions>;
  /**
   * Seals the personal fields of stored records (platform/personal.ts). A
   * real platform loads it from a key file (scripts/platform.ts:
   * `<data-dir>/keys/platform-data.key`, 0600); omitted = a key for this run
   * only (tests with a throw-away database).
   */
  dataKey?: DataKey;
  /** The hall's citizen-key secret shared with its terminals (一号 material reuse); omitted = reuse is off (GET /v1/materials → 404). */
  citizenKeySecret?: string;
  /** Slow-client limits (default `DEFAULT_SERVER_LIMITS` with 30 s keep-alive for the terminals' pooled connections). */
  limits?: Partial<ServerLimits>;
}

export interface PlatformServer {
  readonly url: string;
  readonly port: number;
  readonly store: PlatformStore;
  readonly blobs: BlobStore;
  readonly replies: ReplyStore;
  readonly fleet: FleetStore;
  readonly appointments: AppointmentStore;
  faults(): FaultConfig;
  setFaults(change: Partial<FaultConfig>): FaultConfig;
  /** Answers given since start, keyed `METHOD /path/{template} STATUS`, e.g. `GET /v1/content/current 304`. */
  requests(): Record<string, number>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const BatchEnvelope = z.object({ records: z.array(z.unknown()).min(1).max(MAX_BATCH_RECORDS) });
const PublishContent = z.object({
  version: ContentVersion,
  files: z.array(z.object({ path: ContentFile.shape.path, base64: z.string(), sha256: z.string().optional() })).min(1),
  /** Overrides the computed package hash: lets tests publish a package whose hash is wrong. */
  sha256: z.string().optional(),
});
const PostCaseStatus = z.object({ caseId: z.string().min(1).max(128), status: z.string().min(1).max(64), note: z.string().max(2000).optional() });
const PutTerminal = z.object({ id: z.string().regex(/^[\w.-]{1,64}$/), secret: z.string().min(16).max(256) });

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new HttpError(413, 'body_too_large', `the body is larger than ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'body_too_large', `the body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson<S extends z.ZodType>(body: Buffer, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'the body is not JSON');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new HttpError(400, 'bad_request', `the body does not match the contract: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return result.data;
}

function safeDecode(text: string): string {
  const decoded = decodeRequestPath(text);
  if (decoded === undefined) throw new HttpError(400, 'bad_request', 'the path is not valid percent-encoding');
  return decoded;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startPlatformServer(options: PlatformServerOptions): Promise<PlatformServer> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const dataKey = options.dataKey ?? DataKey.fromBytes(randomBytes(32));
  const store = await PlatformStore.open(options.db, dataKey);
  const blobs = await BlobStore.open(options.db, options.blobKey ?? DataKey.fromBytes(randomBytes(32)), logger);
  const replies = await ReplyStore.open(options.db, store, logger);
  const fleet = await FleetStore.open(options.db, options.fleet);
  const materials = options.citizenKeySecret === undefined ? null : new MaterialIndex(store, options.citizenKeySecret);
  const appointments = await AppointmentStore.open(options.db, dataKey, options.citizenKeySecret);
  for (const terminal of options.terminals ?? []) await store.putTerminal(terminal.id, terminal.secret, now());
  // Terminals are looked up on every request, so they live in memory too.
  const terminals = new Map<string, TerminalCredentials>();
  const reloadTerminals = async (): Promise<void> => {
    terminals.clear();
    for (const row of await store.terminals()) terminals.set(row.id, { secret: row.secret, revoked: row.revoked });
  };
  await reloadTerminals();
  const replay = new ReplayCache(2 * windowSeconds * 1000);
  let faults: FaultConfig = FaultConfig.parse({ ...NO_FAULTS, ...options.faults });
  const adminToken = Buffer.from(options.adminToken);

  const sendJson = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  };
  const sendError = (res: ServerResponse, status: number, code: ErrorCode, message: string): void => sendJson(res, status, { error: { code, message } });

  /** Sends a /v1 answer, spoiled the way the fault plan says. */
  const answer = async (res: ServerResponse, plan: FaultPlan, status: number, value: unknown, headers: Record<string, string> = {}): Promise<void> => {
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    if (plan.response === 'drop') {
      const text = Buffer.from(JSON.stringify(value));
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(text.length), ...headers });
      res.write(text.subarray(0, Math.floor(text.length / 2)));
      // Let the half body reach the wire, then cut the connection.
      setTimeout(() => res.socket?.destroy(), 10);
      return;
    }
    if (plan.response === 'malformed') {
      const text = '{"acks": [{"id": "…", "status": acc';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
      return;
    }
    if (plan.response === 'oversized') {
      const padding = Buffer.alloc(faults.oversizedBytes, 0x61);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(padding.length + 16) });
      res.write('{"acks":[],"x":"');
      res.end(padding);
      return;
    }
    sendJson(res, status, value, headers);
  };

  const handleV1 = async (req: IncomingMessage, res: ServerResponse, url: RequestTarget, body: Buffer): Promise<void> => {
    const verdict = verifyRequest(
      { method: req.method ?? 'GET', pathAndQuery: url.pathname + url.search, headers: req.headers, body },
      { lookup: (id) => terminals.get(id), replay, nowMs: now().getTime(), windowSeconds },
    );
    if (!verdict.ok) {
      logger.warn({ terminal: req.headers['x-liuliu-terminal'], code: verdict.code }, 'platform request refused');
      sendError(res, verdict.status, verdict.code, verdict.message);
      return;
    }
    const isBatch = req.method === 'POST' && url.pathname === PATHS.recordsBatch;
    const plan = planFaults(faults, random, isBatch);
    if (plan.fail) {
      sendError(res, 500, 'internal', 'injected failure');
      return;
    }
    const terminalId = verdict.terminalId;
    if (isBatch) {
      const envelope = parseJson(body, BatchEnvelope);
      const acks = await store.storeBatch(terminalId, envelope.records, now(), await caseRefusals(envelope.records));
      const response: BatchResponse = { acks: plan.response === 'partial' ? partialSubset(acks, random) : acks, serverTime: now().toISOString() };
      await answer(res, plan, 200, response);
      return;
    }
    if (req.method === 'GET' && url.pathname === PATHS.contentCurrent) {
      const current = await store.currentContent();
      if (!current) throw new HttpError(404, 'not_found', 'no content package has been published');
      const etag = contentEtag(current.version, current.sha256);
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        if (plan.delayMs > 0) await sleep(plan.delayMs);
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      await answer(res, plan, 200, current, { etag });
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith(packagePrefix)) {
      const version = safeDecode(url.pathname.slice(packagePrefix.length));
      const bundle = await store.contentBundleText(version);
      if (!bundle) throw new HttpError(404, 'not_found', `no content package ${version}`);
      await answer(res, plan, 200, JSON.parse(bundle.text) as unknown, { etag: `"${bundle.sha256}"` });
      return;
    }
    if (req.method === 'GET' && url.pathname === PATHS.caseStatusChanges) {
      const cursor = url.searchParams.get('cursor') ?? '0';
      const limit = Number(url.searchParams.get('limit') ?? '100');
      if (!/^\d{1,15}$/.test(cursor)) throw new HttpError(400, 'bad_request', 'unknown cursor');
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError(400, 'bad_request', 'limit must be 1–500');
      const page = await store.caseStatusChanges(Number(cursor), limit);
      const last = page.changes.at(-1);
      await answer(res, plan, 200, { changes: page.changes, cursor: last ? String(last.seq) : cursor, more: page.more });
      return;
    }
    if (req.method === 'POST' && url.pathname === PATHS.heartbeat) {
      const heartbeat = parseJson(body, Heartbeat);
      await store.recordHeartbeat(terminalId, heartbeat, now());
      const commands = await fleet.heartbeat(terminalId, heartbeat, now());
      const current = await store.currentContent();
      await answer(res, plan, 200, { serverTime: now().toISOString(), contentVersion: current?.version ?? null, ...(commands.length > 0 ? { commands } : {}) });
      return;
    }
    if (req.method === 'POST' && url.pathname === PATHS.logsUpload) {
      if (body.length > MAX_LOG_UPLOAD_BYTES) throw new HttpError(413, 'body_too_large', `a log upload is at most ${MAX_LOG_UPLOAD_BYTES} bytes`);
      const id = await fleet.storeLogs(terminalId, parseJson(body, LogUpload), body.length, now());
      logger.info({ terminal: terminalId, bytes: body.length, upload: id }, 'terminal logs uploaded');
      await answer(res, plan, 200, { id, bytes: body.length });
      return;
    }
    if (req.method === 'GET' && url.pathname === PATHS.materials) {
      if (materials === null) throw new HttpError(404, 'not_found', 'material reuse is not configured on this platform');
      const citizen = url.searchParams.get('citizen') ?? '';
      if (!/^[0-9a-f]{64}$/.test(citizen)) throw new HttpError(400, 'bad_request', 'citizen must be the hex HMAC-SHA256 of the ID number, never the number');
      await answer(res, plan, 200, { materials: await materials.reusable(citizen, now()) });
      return;
    }
    if (req.method === 'GET' && url.pathname === PATHS.appointments) {
      const cursor = url.searchParams.get('cursor') ?? '0';
      const limit = Number(url.searchParams.get('limit') ?? '100');
      if (!/^\d{1,15}$/.test(cursor)) throw new HttpError(400, 'bad_request', 'unknown cursor');
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError(400, 'bad_request', 'limit must be 1–500');
      await answer(res, plan, 200, await appointments.since(Number(cursor), limit));
      return;
    }
    if (req.method === 'GET' && url.pathname === PATHS.replies) {
      const cursor = url.searchParams.get('cursor') ?? '0';
      const limit = Number(url.searchParams.get('limit') ?? '100');
      if (!/^\d{1,15}$/.test(cursor)) throw new HttpError(400, 'bad_request', 'unknown cursor');
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError(400, 'bad_request', 'limit must be 1–500');
      const page = await replies.since(terminalId, Number(cursor), limit);
      await answer(res, plan, 200, { replies: page.replies, cursor: String(page.replies.at(-1)?.seq ?? cursor), more: page.more });
      return;
    }
    if (url.pathname.startsWith(blobPrefix) && (req.method === 'GET' || req.method === 'PUT')) {
      const sha256 = safeDecode(url.pathname.slice(blobPrefix.length));
      try {
        if (req.method === 'GET') {
          const status = await blobs.status(sha256);
          if (!status) throw new HttpError(404, 'not_found', `no blob ${sha256}`);
          await answer(res, plan, 200, status);
          return;
        }
        const chunk = { sha256, offset: Number(url.searchParams.get('offset') ?? 'NaN'), size: Number(url.searchParams.get('size') ?? 'NaN') };
        await answer(res, plan, 200, await blobs.putChunk(terminalId, chunk, body, now()));
      } catch (err) {
        if (err instanceof BlobRefusal) throw new HttpError(err.status, err.code, err.message);
        throw err;
      }
      return;
    }
    throw new HttpError(404, 'not_found', `no route ${req.method ?? ''} ${url.pathname}`);
  };

  /** Case records refused before storing, with the reason: a reuse the platform cannot honour, or pages it does not hold complete. */
  const caseRefusals = async (records: readonly unknown[]): Promise<Map<string, string>> => {
    const refusals = new Map<string, string>();
    for (const raw of records) {
      const record = SyncRecord.safeParse(raw);
      if (!record.success) continue;
      if (record.data.kind === 'case') {
        // Reuse is only ever honoured for the same person (and never when reuse is off).
        const reuse = materials === null ? (JSON.stringify(record.data.payload).includes('"reusedMaterialId"') ? 'material reuse is not configured on this platform' : null) : await materials.reuseRefusal(record.data.payload, now());
        if (reuse !== null) {
          logger.warn({ id: record.data.id, reason: reuse }, 'case refused: material reuse');
          refusals.set(record.data.id, reuse);
          continue;
        }
      }
      const missing = await blobs.missing(casePageHashes(record.data));
      if (missing.length === 0) continue;
      const reason = `the case names ${missing.length} page(s) the platform does not hold: ${missing.slice(0, 3).join(', ')}`;
      logger.warn({ id: record.data.id, missing: missing.length }, 'case refused: pages missing');
      refusals.set(record.data.id, reason);
    }
    return refusals;
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: RequestTarget, body: Buffer): Promise<void> => {
    const given = Buffer.from(presentedAdminToken(req.headers.authorization));
    if (!sameSecret(given, adminToken)) {
      // The fleet page is opened in a browser: Basic auth (any user name, the admin token as password) makes it ask.
      if (url.pathname === '/admin/fleet') res.setHeader('www-authenticate', 'Basic realm="Liuliu platform admin", charset="UTF-8"');
      throw new HttpError(401, 'missing_auth', 'admin token required');
    }
    const route = `${req.method ?? ''} ${url.pathname}`;
    if (route === 'GET /admin/fleet') {
      const page = renderFleetPage(await fleet.fleet(await store.terminals(), now()), now(), fleet.options.staleAfterSeconds);
      res.writeHead(200, { ...PAGE_SECURITY_HEADERS, 'content-security-policy': FLEET_PAGE_CSP, 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(page)), 'cache-control': 'no-store' });
      res.end(page);
      return;
    }
    if (route === 'GET /admin/fleet.json') return sendJson(res, 200, { staleAfterSeconds: fleet.options.staleAfterSeconds, terminals: await fleet.fleet(await store.terminals(), now()) });
    const perTerminal = /^(GET|POST) \/admin\/terminals\/([^/]+)\/(heartbeats|commands|logs)$/.exec(route);
    if (perTerminal?.[2] !== undefined) {
      const id = safeDecode(perTerminal[2]);
      if (!(await store.terminals()).some((terminal) => terminal.id === id)) throw new HttpError(404, 'not_found', `no terminal ${id}`);
      const what = `${perTerminal[1] ?? ''} ${perTerminal[3] ?? ''}`;
      if (what === 'GET heartbeats') return sendJson(res, 200, { heartbeats: await fleet.history(id, Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? '100') || 100))) });
      if (what === 'GET commands') return sendJson(res, 200, { commands: await fleet.commands(id) });
      if (what === 'POST commands') return sendJson(res, 200, await fleet.addCommand(id, parseJson(body, NewCommand), now()));
      if (what === 'GET logs') return sendJson(res, 200, { uploads: await fleet.logUploads(id) });
    }
    const logUpload = /^GET \/admin\/logs\/([^/]+)$/.exec(route);
    if (logUpload?.[1] !== undefined) {
      const upload = await fleet.logUpload(safeDecode(logUpload[1]));
      if (upload === undefined) throw new HttpError(404, 'not_found', 'no such log upload');
      return sendJson(res, 200, upload);
    }
    if (route === 'GET /admin/hall-figures') {
      const day = url.searchParams.get('day') ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new HttpError(400, 'bad_request', 'day=YYYY-MM-DD is required');
      return sendJson(res, 200, { day, figures: await store.hallFigures(day, url.searchParams.get('terminal') ?? undefined), ratingsByDepartment: await store.ratingsByDepartment(day) });
    }
    if (route === 'GET /admin/stats') return sendJson(res, 200, { ...(await store.stats()), requests });
    if (route === 'GET /admin/records/ids') return sendJson(res, 200, { ids: await store.recordIds() });
    if (route === 'GET /admin/faults') return sendJson(res, 200, faults);
    if (route === 'PUT /admin/faults') return sendJson(res, 200, server.setFaults(parseJson(body, FaultConfig.partial())));
    if (route === 'POST /admin/terminals') {
      const terminal = parseJson(body, PutTerminal);
      await store.putTerminal(terminal.id, terminal.secret, now());
      await reloadTerminals();
      return sendJson(res, 200, { id: terminal.id });
    }
    const revoke = /^POST \/admin\/terminals\/([^/]+)\/revoke$/.exec(route);
    if (revoke?.[1] !== undefined) {
      const id = safeDecode(revoke[1]);
      if (!(await store.revokeTerminal(id))) throw new HttpError(404, 'not_found', `no terminal ${id}`);
      await reloadTerminals();
      return sendJson(res, 200, { id, revoked: true });
    }
    if (route === 'POST /admin/content') return sendJson(res, 200, await store.publishContent(buildBundle(parseJson(body, PublishContent), now())));
    if (route === 'POST /admin/appointments' || /^POST \/admin\/appointments\/[^/]+\/cancel$/.test(route)) {
      try {
        if (route === 'POST /admin/appointments') return sendJson(res, 200, await appointments.create(JSON.parse(body.toString('utf8') || 'null'), now()));
        return sendJson(res, 200, await appointments.cancel(safeDecode(url.pathname.split('/')[3] ?? '')));
      } catch (err) {
        if (err instanceof AppointmentRefusal) throw new HttpError(err.status, err.status === 404 ? 'not_found' : 'bad_request', err.message);
        if (err instanceof SyntaxError) throw new HttpError(400, 'bad_request', 'the body is not JSON');
        throw err;
      }
    }
    if (route === 'POST /admin/cases/status') return sendJson(res, 200, await store.addCaseStatus(parseJson(body, PostCaseStatus), now()));
    throw new HttpError(404, 'not_found', `no route ${route}`);
  };

  const review = reviewHandler({ store, blobs, replies, calendar: options.calendar ?? HolidayCalendar.parse({}), adminToken: options.adminToken, logger, now });
  const requests: Record<string, number> = {};
  const packagePrefix = PATHS.contentPackage.replace('{version}', '');
  const knownPaths = new Set<string>(Object.values(PATHS));
  /**
   * The counter key of a request: its route template, an admin path only once
   * it was answered successfully (so only real routes), and one bucket for
   * everything else — a stranger must not grow the map with made-up paths.
   */
  const routeOf = (pathname: string, status: number): string => {
    if (pathname.startsWith(packagePrefix)) return PATHS.contentPackage;
    if (pathname.startsWith(blobPrefix)) return PATHS.blob;
    if (knownPaths.has(pathname)) return pathname;
    if (status < 400 && pathname.startsWith('/admin/')) return pathname.replace(/^\/admin\/terminals\/[^/]+\//, '/admin/terminals/{id}/').replace(/^\/admin\/([^/]+)\/[^/]{20,}/, '/admin/$1/{id}');
    return '(other)';
  };
  const blobPrefix = PATHS.blob.replace('{sha256}', '');
  const http: Server = createServer((req, res) => {
    const url = parseRequestTarget(req.url);
    res.on('finish', () => {
      const route = url === undefined ? '(malformed)' : routeOf(url.pathname, res.statusCode);
      const key = `${req.method === 'GET' || req.method === 'POST' || req.method === 'PUT' ? req.method : 'OTHER'} ${route} ${res.statusCode}`;
      requests[key] = (requests[key] ?? 0) + 1;
    });
    if (url === undefined) {
      req.resume();
      sendError(res, 400, 'bad_request', 'malformed request target');
      return;
    }
    if (isReviewPath(url.pathname)) {
      readBody(req, 64 * 1024)
        .then((body) => review(req, res, url, body))
        .catch((err: unknown) => sendReviewError(res, err, logger));
      return;
    }
    readBody(req, maxBodyBytes)
      .then((body) => (url.pathname.startsWith('/admin/') ? handleAdmin(req, res, url, body) : handleV1(req, res, url, body)))
      .catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof HttpError) {
          if (err.status === 413) res.setHeader('connection', 'close');
          sendError(res, err.status, err.code, err.message);
          return;
        }
        logger.error({ err, path: url.pathname }, 'platform request failed');
        sendError(res, 500, 'internal', 'internal error');
      });
  });
  http.on('clientError', answerClientError);
  // Terminals keep their connections pooled between sync cycles: 30 s keep-alive; slow clients are cut by the shared limits.
  applyServerLimits(http, { keepAliveMs: 30_000, ...options.limits });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const server: PlatformServer = {
    url: `http://${host}:${address.port}`,
    port: address.port,
    store,
    blobs,
    replies,
    fleet,
    appointments,
    faults: () => faults,
    requests: () => ({ ...requests }),
    setFaults(change) {
      faults = FaultConfig.parse({ ...faults, ...change });
      logger.info({ faults }, 'fault injection changed');
      return faults;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
  return server;
}

/** The admin token from `Bearer <token>`, or the password of `Basic base64(user:token)` (browsers, for the fleet page). */
export function presentedAdminToken(authorization: string | undefined): string {
  const header = authorization ?? '';
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? '' : decoded.slice(colon + 1);
  }
  return header.replace(/^Bearer /, '');
}

/** Turns an admin publish request into a bundle: per-file hashes and the package hash, unless overridden. */
export function buildBundle(request: z.infer<typeof PublishContent>, now: Date): ContentBundle {
  const files = request.files.map((file) => ({ path: file.path, base64: file.base64, sha256: file.sha256 ?? sha256Hex(Buffer.from(file.base64, 'base64')) }));
  const bytes = new Map(request.files.map((file) => [file.path, Buffer.from(file.base64, 'base64')]));
  const sha256 = request.sha256 ?? contentPackageHash(bytes);
  if (sha256 === undefined) throw new HttpError(400, 'bad_request', `a package needs ${CONTENT_FILES.join(', ')}`);
  return { version: request.version, sha256, publishedAt: now.toISOString(), files };
}
