import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import { signRequest } from '../../../platform-contract/auth.js';
import {
  AppointmentPage,
  BatchResponse,
  BlobStatus,
  CaseStatusPage,
  ContentBundle,
  ContentCurrent,
  ErrorBody,
  HeartbeatResponse,
  LogUploadResponse,
  PATHS,
  ReplyPage,
  ReusableMaterials,
  blobPath,
  contentPackagePath,
  type Heartbeat,
  type LogUpload,
  type SyncRecord,
} from '../../../platform-contract/contract.js';
import type { Logger } from '../logging/logger.js';

/**
 * The terminal's HTTP client for the platform contract: signs every request,
 * bounds time and response size, validates answers against the contract, and
 * turns every failure into a value. When the platform says our timestamp is
 * out of its window it learns the offset from the platform's Date header and
 * retries once, so a kiosk with a wrong clock still syncs.
 */
export type CallError =
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'oversized'; message: string }
  | { kind: 'malformed'; status: number; message: string }
  | { kind: 'server'; status: number; message: string }
  | { kind: 'auth'; status: number; code: string; message: string }
  | { kind: 'refused'; status: number; code: string; message: string };

export type CallResult<T> = { ok: true; status: number; value: T; headers: IncomingHttpHeaders } | { ok: false; error: CallError };

export function describeError(error: CallError): string {
  return 'status' in error ? `${error.kind} (HTTP ${error.status}): ${error.message}` : `${error.kind}: ${error.message}`;
}

export interface PlatformClientOptions {
  baseUrl: string;
  terminalId: string;
  secret: string;
  now: () => Date;
  logger: Logger;
  timeoutMs?: number;
  /** Answers larger than this are abandoned (content packages have their own, larger limit). */
  maxResponseBytes?: number;
  maxContentBytes?: number;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class PlatformClient {
  /** Platform clock minus ours, learned from a timestamp refusal. */
  private clockOffsetMs = 0;
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxContentBytes: number;

  constructor(private readonly options: PlatformClientOptions) {
    this.base = new URL(options.baseUrl);
    const agentOptions = { keepAlive: true, maxSockets: 4 };
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    this.maxContentBytes = options.maxContentBytes ?? 64 * 1024 * 1024;
  }

  get offsetMs(): number {
    return this.clockOffsetMs;
  }

  pushBatch(records: readonly SyncRecord[]): Promise<CallResult<BatchResponse>> {
    return this.call('POST', PATHS.recordsBatch, BatchResponse, { body: { records } });
  }

  /** `not-modified` when the platform's current package has the ETag we hold; `none` when nothing is published. */
  async contentCurrent(etag: string | null): Promise<CallResult<ContentCurrent | 'not-modified' | 'none'>> {
    const result = await this.call('GET', PATHS.contentCurrent, ContentCurrent, { headers: etag === null ? {} : { 'if-none-match': etag }, passStatuses: [304, 404] });
    if (!result.ok || result.status === 200) return result;
    return { ...result, value: result.status === 304 ? 'not-modified' : 'none' };
  }

  contentPackage(version: string): Promise<CallResult<ContentBundle>> {
    return this.call('GET', contentPackagePath(version), ContentBundle, { maxBytes: this.maxContentBytes });
  }

  caseStatusChanges(cursor: string | null, limit: number): Promise<CallResult<CaseStatusPage>> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor !== null) query.set('cursor', cursor);
    return this.call('GET', `${PATHS.caseStatusChanges}?${query.toString()}`, CaseStatusPage);
  }

  /** Staff answers to this terminal's consultations and complaints after the cursor. */
  replies(cursor: string | null, limit: number): Promise<CallResult<ReplyPage>> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor !== null) query.set('cursor', cursor);
    return this.call('GET', `${PATHS.replies}?${query.toString()}`, ReplyPage);
  }

  /** 预约: appointments booked or changed after the cursor (the hall queue service pulls them). */
  appointments(cursor: string | null, limit: number): Promise<CallResult<AppointmentPage>> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor !== null) query.set('cursor', cursor);
    return this.call('GET', `${PATHS.appointments}?${query.toString()}`, AppointmentPage);
  }

  /** 一号: a citizen's reusable materials, by the keyed hash of her ID number (citizenLookupKey), never the number. */
  reusableMaterials(citizenKey: string): Promise<CallResult<ReusableMaterials>> {
    return this.call('GET', `${PATHS.materials}?citizen=${encodeURIComponent(citizenKey)}`, ReusableMaterials);
  }

  heartbeat(heartbeat: Heartbeat): Promise<CallResult<HeartbeatResponse>> {
    return this.call('POST', PATHS.heartbeat, HeartbeatResponse, { body: heartbeat });
  }

  /** How much of a blob the platform holds; `none` when it has nothing of it. */
  async blobStatus(sha256: string): Promise<CallResult<BlobStatus | 'none'>> {
    const result = await this.call('GET', blobPath(sha256), BlobStatus, { passStatuses: [404] });
    if (!result.ok || result.status === 200) return result;
    return { ...result, value: 'none' };
  }

  /** One chunk of a blob, raw bytes; answers the upload's status after it. */
  putBlobChunk(sha256: string, offset: number, size: number, bytes: Buffer): Promise<CallResult<BlobStatus>> {
    return this.call('PUT', blobPath(sha256, { offset, size }), BlobStatus, { raw: bytes });
  }

  uploadLogs(upload: LogUpload): Promise<CallResult<LogUploadResponse>> {
    return this.call('POST', PATHS.logsUpload, LogUploadResponse, { body: upload });
  }

  close(): void {
    this.agent.destroy();
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT',
    pathAndQuery: string,
    schema: S,
    options: { body?: unknown; raw?: Buffer; headers?: Record<string, string>; maxBytes?: number; passStatuses?: number[] } = {},
  ): Promise<CallResult<z.infer<S>>> {
    const body = options.raw ?? (options.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(options.body)));
    if (options.raw !== undefined) options.headers = { ...options.headers, 'content-type': 'application/octet-stream' };
    let sent = await this.send(method, pathAndQuery, body, options.headers ?? {}, options.maxBytes ?? this.maxResponseBytes);
    if (sent.ok && sent.value.status === 401 && this.learnClockOffset(sent.value)) {
      sent = await this.send(method, pathAndQuery, body, options.headers ?? {}, options.maxBytes ?? this.maxResponseBytes);
    }
    if (!sent.ok) return sent;
    const { status, headers } = sent.value;
    if (options.passStatuses?.includes(status)) return { ok: true, status, headers, value: undefined as z.infer<S> };
    if (status !== 200) return { ok: false, error: this.statusError(sent.value) };
    let json: unknown;
    try {
      json = JSON.parse(sent.value.body.toString('utf8'));
    } catch {
      return { ok: false, error: { kind: 'malformed', status, message: 'the answer is not JSON' } };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: { kind: 'malformed', status, message: `the answer does not match the contract (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})` } };
    }
    return { ok: true, status, headers, value: parsed.data as z.infer<S> };
  }

  /** On a timestamp refusal, sets the offset from the platform's Date header; true if a retry is worth it. */
  private learnClockOffset(response: RawResponse): boolean {
    const error = ErrorBody.safeParse(safeJson(response.body));
    if (!error.success || error.data.error.code !== 'timestamp_out_of_window') return false;
    const serverDate = Date.parse(response.headers.date ?? '');
    if (Number.isNaN(serverDate)) return false;
    const offset = serverDate - this.options.now().getTime();
    // The Date header has one-second resolution; only a real change is worth a retry.
    if (Math.abs(offset - this.clockOffsetMs) < 2_000) return false;
    this.options.logger.warn({ offsetMs: offset }, 'terminal clock differs from the platform clock; signing with the platform offset');
    this.clockOffsetMs = offset;
    return true;
  }

  private statusError(response: RawResponse): CallError {
    const parsed = ErrorBody.safeParse(safeJson(response.body));
    const code = parsed.success ? parsed.data.error.code : 'unknown';
    const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    if (response.status >= 500) return { kind: 'server', status: response.status, message };
    if (response.status === 401 || response.status === 403) return { kind: 'auth', status: response.status, code, message: `${code}: ${message}` };
    return { kind: 'refused', status: response.status, code, message: `${code}: ${message}` };
  }

  private send(method: string, pathAndQuery: string, body: Buffer, extraHeaders: Record<string, string>, maxBytes: number): Promise<CallResult<RawResponse>> {
    // Appended, not resolved: a platform behind a path prefix (https://gw/liuliu/) keeps its prefix, and the signature covers it.
    const url = new URL(this.base.href.replace(/\/+$/, '') + pathAndQuery);
    const target = url.pathname + url.search;
    const timestamp = Math.floor((this.options.now().getTime() + this.clockOffsetMs) / 1000);
    const headers: Record<string, string> = {
      ...extraHeaders,
      ...signRequest(this.options.terminalId, this.options.secret, { method, pathAndQuery: target, body, timestamp }),
      accept: 'application/json',
    };
    if (body.length > 0) {
      headers['content-type'] = extraHeaders['content-type'] ?? 'application/json';
      headers['content-length'] = String(body.length);
    }
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: CallResult<RawResponse>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request(url, { method, headers, agent: this.agent }, (res) => {
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > maxBytes) {
          res.destroy();
          finish({ ok: false, error: { kind: 'oversized', message: `the answer declares ${declared} bytes, more than the ${maxBytes} allowed` } });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            finish({ ok: false, error: { kind: 'oversized', message: `the answer is larger than the ${maxBytes} bytes allowed` } });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => finish({ ok: true, status: res.statusCode ?? 0, headers: res.headers, value: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) } }));
        res.on('error', (err) => finish({ ok: false, error: { kind: 'network', message: `the answer was cut off: ${err.message}` } }));
        res.on('close', () => {
          if (!res.complete) finish({ ok: false, error: { kind: 'network', message: 'the connection closed before the answer was complete' } });
        });
      });
      const timer = setTimeout(() => {
        finish({ ok: false, error: { kind: 'timeout', message: `no complete answer within ${this.timeoutMs} ms` } });
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (err) => finish({ ok: false, error: { kind: 'network', message: err.message } }));
      req.end(body);
    });
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
