import { z } from 'zod';
import type { Logger } from '../electron/host/logging/logger.js';
import type { Database, Migration } from '../electron/host/storage/database.js';
import type { Reply } from '../platform-contract/contract.js';
import type { WatchedItem } from './deadlines.js';
import type { PlatformStore } from './store.js';

/**
 * Staff answers to consultations and complaints (电子监察): one answer per
 * record, numbered in answer order so terminals pull them with a cursor, and
 * what the deadline watch needs — when each request arrived, which department
 * it belongs to, and when it was answered (cases: their first status change,
 * i.e. the pre-acceptance decision).
 */
export const replyMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'replies to consultations and complaints',
    up: `CREATE TABLE replies (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      record_id TEXT NOT NULL UNIQUE,
      terminal_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      text TEXT NOT NULL,
      answered_at TEXT NOT NULL
    );
    CREATE INDEX replies_terminal ON replies (terminal_id, seq);`,
  },
];

export const REPLY_KINDS = ['consultation', 'complaint'] as const;
export const ReplyText = z.string().trim().min(1, 'an answer needs some text').max(2000, 'an answer is at most 2000 characters');

export class ReplyRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** What a consultation or complaint record carries that the staff page shows (loose: extra fields ignored). */
const FeedbackPayload = z.looseObject({ category: z.string(), text: z.string(), at: z.string().optional(), serviceId: z.string().optional(), replyPageKey: z.string().optional() });

export interface Consultation {
  id: string;
  kind: (typeof REPLY_KINDS)[number];
  terminalId: string;
  category: string;
  text: string;
  serviceId: string | null;
  receivedAt: string;
  reply: { text: string; answeredAt: string } | null;
  /** Hex SHA-256 of the token on her slip's QR, or null (records from before the QR). */
  replyPageKey: string | null;
}

export class ReplyStore {
  private constructor(
    private readonly db: Database,
    private readonly store: PlatformStore,
    private readonly logger: Logger,
  ) {}

  static async open(db: Database, store: PlatformStore, logger: Logger): Promise<ReplyStore> {
    await db.migrate('platform-replies', replyMigrations);
    return new ReplyStore(db, store, logger);
  }

  /** Every consultation and complaint with its answer, newest first. */
  async consultations(): Promise<Consultation[]> {
    const out: Consultation[] = [];
    const replies = new Map((await this.db.all<{ record_id: string; text: string; answered_at: string }>('SELECT record_id, text, answered_at FROM replies')).map((row) => [row.record_id, row]));
    for (const kind of REPLY_KINDS) {
      for (const record of await this.store.recordsOfKind(kind)) {
        const payload = FeedbackPayload.safeParse(record.payload);
        if (!payload.success) continue;
        const reply = replies.get(record.id);
        out.push({
          id: record.id,
          kind,
          terminalId: record.terminalId,
          category: payload.data.category,
          text: payload.data.text,
          serviceId: payload.data.serviceId ?? null,
          receivedAt: record.receivedAt,
          reply: reply ? { text: reply.text, answeredAt: reply.answered_at } : null,
          replyPageKey: payload.data.replyPageKey ?? null,
        });
      }
    }
    return out.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  async consultation(id: string): Promise<Consultation | undefined> {
    return (await this.consultations()).find((c) => c.id === id);
  }

  /** The consultation behind a phone page, by the hash of the token on her slip (never by its record id). */
  async byReplyPageKey(key: string): Promise<Consultation | undefined> {
    return (await this.consultations()).find((c) => c.replyPageKey !== null && c.replyPageKey === key);
  }

  /** Stores the answer; refuses an unknown record, one that is not a consultation or complaint, a second answer and empty text. */
  async answer(recordId: string, text: unknown, now: Date): Promise<Reply> {
    try {
      const parsed = ReplyText.safeParse(text);
      if (!parsed.success) throw new ReplyRefusal(400, parsed.error.issues[0]?.message ?? 'invalid answer');
      const record = await this.store.record(recordId);
      if (!record || !(REPLY_KINDS as readonly string[]).includes(record.kind)) throw new ReplyRefusal(404, `no consultation or complaint ${recordId}`);
      const answeredAt = now.toISOString();
      const result = await this.db.run('INSERT OR IGNORE INTO replies (record_id, terminal_id, kind, text, answered_at) VALUES (?, ?, ?, ?, ?)', [recordId, record.terminalId, record.kind, parsed.data, answeredAt]);
      if (result.changes === 0) throw new ReplyRefusal(409, `${recordId} has already been answered`);
      this.logger.info({ recordId, kind: record.kind }, 'consultation answered');
      return { seq: result.lastId, recordId, kind: record.kind as Reply['kind'], text: parsed.data, answeredAt };
    } catch (err) {
      if (err instanceof ReplyRefusal) this.logger.warn({ recordId, status: err.status, reason: err.message }, 'reply refused');
      throw err;
    }
  }

  /** Replies to one terminal's records after `afterSeq`. */
  async since(terminalId: string, afterSeq: number, limit: number): Promise<{ replies: Reply[]; more: boolean }> {
    const rows = await this.db.all<{ seq: number; record_id: string; kind: Reply['kind']; text: string; answered_at: string }>(
      'SELECT seq, record_id, kind, text, answered_at FROM replies WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      [terminalId, afterSeq, limit + 1],
    );
    return { replies: rows.slice(0, limit).map((row) => ({ seq: row.seq, recordId: row.record_id, kind: row.kind, text: row.text, answeredAt: row.answered_at })), more: rows.length > limit };
  }

  /** Consultations, complaints and cases as deadline items, each under its department's name. */
  async watchedItems(): Promise<WatchedItem[]> {
    const departmentOf = await this.departmentNames();
    const name = (serviceId: string | null): string => (serviceId === null ? '未指定部门' : (departmentOf.get(serviceId) ?? '未指定部门'));
    const items: WatchedItem[] = (await this.consultations()).map((c) => ({
      department: name(c.serviceId),
      receivedAt: new Date(c.receivedAt),
      answeredAt: c.reply ? new Date(c.reply.answeredAt) : null,
    }));
    for (const record of await this.store.recordsOfKind('case')) {
      const payload = z.looseObject({ caseId: z.string(), number: z.string(), serviceId: z.string() }).safeParse(record.payload);
      if (!payload.success) continue;
      const first = (await this.store.caseStatusHistory([payload.data.caseId, payload.data.number]))[0];
      items.push({ department: name(payload.data.serviceId), receivedAt: new Date(record.receivedAt), answeredAt: first ? new Date(first.changedAt) : null });
    }
    return items;
  }

  /** serviceId → department name, from the content package in force (empty when none is published). */
  private async departmentNames(): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const current = await this.store.currentContent();
    if (!current) return names;
    const bundle = await this.store.contentBundleText(current.version);
    if (!bundle) return names;
    const files = (JSON.parse(bundle.text) as { files: { path: string; base64: string }[] }).files;
    const read = (path: string): unknown => {
      const file = files.find((f) => f.path === path);
      return file ? (JSON.parse(Buffer.from(file.base64, 'base64').toString('utf8')) as unknown) : undefined;
    };
    const hall = z.looseObject({ departments: z.array(z.looseObject({ id: z.string(), name: z.string() })) }).safeParse(read('hall.json'));
    const services = z.looseObject({ services: z.array(z.looseObject({ id: z.string(), departmentId: z.string() })) }).safeParse(read('services.json'));
    if (!hall.success || !services.success) return names;
    const departments = new Map(hall.data.departments.map((d) => [d.id, d.name]));
    for (const service of services.data.services) names.set(service.id, departments.get(service.departmentId) ?? service.departmentId);
    return names;
  }
}
