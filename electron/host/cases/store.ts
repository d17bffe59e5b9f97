import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { DataKey } from '../storage/crypto.js';
import type { Database, Migration, Queryable } from '../storage/database.js';
import type { Outbox } from '../storage/outbox.js';
import { applicantKey, CHECK_DIGITS, hallDay, MAX_DAILY_SEQUENCE, preAcceptanceNumber } from './rules.js';

/**
 * Cases on the terminal (SQLite): the case row with its personal fields
 * sealed with the data key, its scanned pages as sealed JPEG blobs, its stage
 * history, the daily number sequence, and the platform status changes
 * already applied. A submission is one transaction together with its outbox
 * row: a case is either stored, numbered and queued, or not there at all.
 */
export const casesMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'cases, pages, stage history, numbering, applied status changes',
    up: `CREATE TABLE cases (
      id TEXT PRIMARY KEY,
      number TEXT NOT NULL UNIQUE,
      service_id TEXT NOT NULL,
      stage TEXT NOT NULL,
      submitted_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      applicant_key TEXT NOT NULL,
      applicant BLOB NOT NULL,
      result BLOB,
      result_at TEXT
    );
    CREATE INDEX cases_applicant ON cases (applicant_key);
    CREATE TABLE case_pages (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases (id),
      material_index INTEGER NOT NULL,
      position INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      image BLOB NOT NULL
    );
    CREATE INDEX case_pages_case ON case_pages (case_id);
    CREATE TABLE case_stages (case_id TEXT NOT NULL REFERENCES cases (id), stage TEXT NOT NULL, at TEXT NOT NULL, source TEXT NOT NULL);
    CREATE INDEX case_stages_case ON case_stages (case_id);
    CREATE TABLE case_numbers (day TEXT PRIMARY KEY, last INTEGER NOT NULL);
    CREATE TABLE case_status_applied (seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL, applied_at TEXT NOT NULL);
    CREATE TABLE case_secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);`,
  },
  {
    version: 2,
    name: 'page images released once the platform holds them',
    up: `ALTER TABLE case_pages ADD COLUMN released_at TEXT;
    CREATE INDEX case_pages_sha256 ON case_pages (sha256);`,
  },
  {
    version: 3,
    name: '一号: materials reused from earlier cases (platform id) and the consent time',
    up: `CREATE TABLE case_reused_materials (
      case_id TEXT NOT NULL REFERENCES cases (id),
      material_index INTEGER NOT NULL,
      material_id TEXT NOT NULL,
      consent_at TEXT NOT NULL,
      PRIMARY KEY (case_id, material_index)
    );`,
  },
];

/** The personal part of a case: sealed at rest, opened only to print or to sync. */
export interface Applicant {
  name: string;
  idNumber: string;
  address: string;
  phone: string;
  mailingAddress: string;
  remarks: string;
}

export interface NewPage {
  materialIndex: number;
  jpeg: Buffer;
  width: number;
  height: number;
}

export interface NewCase {
  serviceId: string;
  /** Stage a submission starts in (the content's first stage, 申请). */
  stage: string;
  applicant: Applicant;
  pages: readonly NewPage[];
  /** Material names by index, for the outbox payload. */
  materialNames: readonly string[];
  /** 一号: materials taken from earlier cases (the platform's ids) instead of scans; needs `reuseConsentAt`. */
  reused?: readonly { materialIndex: number; materialId: string }[];
  reuseConsentAt?: string | null;
}

/** Case records without reuse stay at schema version 1 (any platform takes them); a reuse needs a platform that knows version 2. */
export const CASE_SCHEMA_VERSION = { plain: 1, withReuse: 2 } as const;

export interface StoredCase {
  id: string;
  number: string;
  serviceId: string;
  stage: string;
  submittedAt: string;
  updatedAt: string;
  hasResult: boolean;
}

export interface ResultDocument {
  title: string;
  body: string;
}

interface CaseRow {
  id: string;
  number: string;
  service_id: string;
  stage: string;
  submitted_at: string;
  updated_at: string;
  result_at: string | null;
}

const CASE_COLUMNS = 'id, number, service_id, stage, submitted_at, updated_at, result_at';
const LOOKUP_SECRET = 'applicant-lookup';

function toCase(row: CaseRow): StoredCase {
  return { id: row.id, number: row.number, serviceId: row.service_id, stage: row.stage, submittedAt: row.submitted_at, updatedAt: row.updated_at, hasResult: row.result_at !== null };
}

/** One status change pulled from the platform; `caseId` may also be the pre-acceptance number. */
export interface StageChange {
  seq: number;
  caseId: string;
  stage: string;
  at: string;
  result?: ResultDocument;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'unknown-case';

export class CaseStore {
  private constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly key: DataKey,
    private readonly lookupSecret: Buffer,
  ) {}

  /** Migrates the tables and loads (or creates) the lookup secret, sealed with the data key. */
  static async open(db: Database, outbox: Outbox, key: DataKey): Promise<CaseStore> {
    await db.migrate('cases', casesMigrations);
    const secret = await db.transaction(async (tx) => {
      const row = await tx.get<{ value: Buffer }>('SELECT value FROM case_secrets WHERE name = ?', [LOOKUP_SECRET]);
      if (row) return key.open(row.value);
      const fresh = randomBytes(32);
      await tx.run('INSERT INTO case_secrets (name, value) VALUES (?, ?)', [LOOKUP_SECRET, key.seal(fresh)]);
      return fresh;
    });
    return new CaseStore(db, outbox, key, secret);
  }

  lookupKey(idNumber: string): string {
    return applicantKey(this.lookupSecret, idNumber);
  }

  /** Numbers, stores and queues a case in one transaction. */
  async submit(input: NewCase, context: { terminalId: string; terminalCode: string; now: Date }): Promise<StoredCase> {
    const { now } = context;
    const at = now.toISOString();
    const day = hallDay(now);
    const id = randomUUID();
    const reused = input.reused ?? [];
    const consentAt = input.reuseConsentAt ?? null;
    if (reused.length > 0 && consentAt === null) throw new Error('a reused material needs the citizen\'s consent');
    const reusedIds = new Map(reused.map((entry) => [entry.materialIndex, entry.materialId]));
    const pages = input.pages.map((page, position) => ({ ...page, id: randomUUID(), position, sha256: createHash('sha256').update(page.jpeg).digest('hex') }));
    return this.db.transaction(async (tx) => {
      const sequence = await nextSequence(tx, day);
      // The check part comes from the OS's CSPRNG: the next citizen's number is not derivable from this one.
      const number = preAcceptanceNumber(day, context.terminalCode, sequence, randomInt(0, 10 ** CHECK_DIGITS));
      await tx.run('INSERT INTO cases (id, number, service_id, stage, submitted_at, updated_at, applicant_key, applicant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        id,
        number,
        input.serviceId,
        input.stage,
        at,
        at,
        this.lookupKey(input.applicant.idNumber),
        this.key.sealJson(input.applicant),
      ]);
      for (const page of pages) {
        await tx.run('INSERT INTO case_pages (id, case_id, material_index, position, width, height, sha256, image) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
          page.id,
          id,
          page.materialIndex,
          page.position,
          page.width,
          page.height,
          page.sha256,
          this.key.seal(page.jpeg),
        ]);
      }
      for (const entry of reused) {
        await tx.run('INSERT INTO case_reused_materials (case_id, material_index, material_id, consent_at) VALUES (?, ?, ?, ?)', [id, entry.materialIndex, entry.materialId, consentAt]);
      }
      await tx.run('INSERT INTO case_stages (case_id, stage, at, source) VALUES (?, ?, ?, ?)', [id, input.stage, at, 'terminal']);
      await this.outbox.append(
        tx,
        {
          id,
          kind: 'case',
          schemaVersion: reused.length > 0 ? CASE_SCHEMA_VERSION.withReuse : CASE_SCHEMA_VERSION.plain,
          payload: {
            caseId: id,
            number,
            serviceId: input.serviceId,
            status: input.stage,
            submittedAt: at,
            terminalId: context.terminalId,
            applicant: input.applicant,
            // Page images stay on the terminal (sealed); the record carries what identifies them.
            materials: input.materialNames.map((name, index) => {
              const reusedMaterialId = reusedIds.get(index);
              return {
                index,
                name,
                pages: pages.filter((page) => page.materialIndex === index).map((page) => ({ pageId: page.id, sha256: page.sha256, bytes: page.jpeg.length, width: page.width, height: page.height })),
                ...(reusedMaterialId === undefined ? {} : { reusedMaterialId }),
              };
            }),
            ...(reused.length > 0 ? { reuseConsentAt: consentAt } : {}),
          },
        },
        now,
      );
      return { id, number, serviceId: input.serviceId, stage: input.stage, submittedAt: at, updatedAt: at, hasResult: false };
    });
  }

  async byNumber(number: string): Promise<StoredCase | undefined> {
    const row = await this.db.get<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE number = ?`, [number]);
    return row && toCase(row);
  }

  async byId(id: string): Promise<StoredCase | undefined> {
    const row = await this.db.get<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = ?`, [id]);
    return row && toCase(row);
  }

  /** The cases of the citizen with this ID number, newest first. */
  async byApplicant(idNumber: string): Promise<StoredCase[]> {
    const rows = await this.db.all<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE applicant_key = ? ORDER BY submitted_at DESC`, [this.lookupKey(idNumber)]);
    return rows.map(toCase);
  }

  async belongsTo(caseId: string, idNumber: string): Promise<boolean> {
    const row = await this.db.get<{ applicant_key: string }>('SELECT applicant_key FROM cases WHERE id = ?', [caseId]);
    return row?.applicant_key === this.lookupKey(idNumber);
  }

  async applicant(caseId: string): Promise<Applicant | undefined> {
    const row = await this.db.get<{ applicant: Buffer }>('SELECT applicant FROM cases WHERE id = ?', [caseId]);
    return row && (this.key.openJson(row.applicant) as Applicant);
  }

  async history(caseId: string): Promise<{ stage: string; at: string }[]> {
    return this.db.all<{ stage: string; at: string }>('SELECT stage, at FROM case_stages WHERE case_id = ? ORDER BY at, rowid', [caseId]);
  }

  /** The case's pages; `jpeg` is null once the image was released (the platform holds it and the retention passed). */
  async pages(caseId: string): Promise<{ materialIndex: number; jpeg: Buffer | null; width: number; height: number; sha256: string }[]> {
    const rows = await this.db.all<{ material_index: number; image: Buffer; width: number; height: number; sha256: string; released_at: string | null }>(
      'SELECT material_index, image, width, height, sha256, released_at FROM case_pages WHERE case_id = ? ORDER BY position',
      [caseId],
    );
    return rows.map((row) => ({ materialIndex: row.material_index, jpeg: row.released_at === null ? this.key.open(row.image) : null, width: row.width, height: row.height, sha256: row.sha256 }));
  }

  /** A page image by its SHA-256, for the upload to the platform; undefined when none is held (or it was released). */
  async pageBySha256(sha256: string): Promise<Buffer | undefined> {
    const row = await this.db.get<{ image: Buffer }>('SELECT image FROM case_pages WHERE sha256 = ? AND released_at IS NULL LIMIT 1', [sha256]);
    return row && this.key.open(row.image);
  }

  /** Deletes the terminal's copies of these page images (the platform holds them); the page rows stay, with their hash. */
  async releasePages(hashes: readonly string[], now: Date): Promise<number> {
    let released = 0;
    await this.db.transaction(async (tx) => {
      for (const sha256 of hashes) {
        const result = await tx.run("UPDATE case_pages SET image = X'', released_at = ? WHERE sha256 = ? AND released_at IS NULL", [now.toISOString(), sha256]);
        released += result.changes;
      }
    });
    return released;
  }

  /** 一号: the materials this case took from earlier ones, with when she agreed. */
  async reusedMaterials(caseId: string): Promise<{ materialIndex: number; materialId: string; consentAt: string }[]> {
    const rows = await this.db.all<{ material_index: number; material_id: string; consent_at: string }>(
      'SELECT material_index, material_id, consent_at FROM case_reused_materials WHERE case_id = ? ORDER BY material_index',
      [caseId],
    );
    return rows.map((row) => ({ materialIndex: row.material_index, materialId: row.material_id, consentAt: row.consent_at }));
  }

  async result(caseId: string): Promise<ResultDocument | undefined> {
    const row = await this.db.get<{ result: Buffer | null }>('SELECT result FROM cases WHERE id = ?', [caseId]);
    return row?.result ? (this.key.openJson(row.result) as ResultDocument) : undefined;
  }

  /** Applies one platform status change; a `seq` seen before changes nothing (the sync worker may re-deliver after a crash). */
  async applyChange(change: StageChange, now: Date): Promise<ApplyOutcome> {
    return this.db.transaction(async (tx) => {
      if (await tx.get('SELECT seq FROM case_status_applied WHERE seq = ?', [change.seq])) return 'duplicate';
      const row = await tx.get<{ id: string }>('SELECT id FROM cases WHERE id = ? OR number = ?', [change.caseId, change.caseId]);
      // Recorded even for unknown cases (another terminal's): the seq is done either way.
      await tx.run('INSERT INTO case_status_applied (seq, case_id, applied_at) VALUES (?, ?, ?)', [change.seq, row?.id ?? change.caseId, now.toISOString()]);
      if (!row) return 'unknown-case';
      await tx.run('INSERT INTO case_stages (case_id, stage, at, source) VALUES (?, ?, ?, ?)', [row.id, change.stage, change.at, `platform:${change.seq}`]);
      await tx.run('UPDATE cases SET stage = ?, updated_at = ? WHERE id = ?', [change.stage, change.at, row.id]);
      if (change.result) await tx.run('UPDATE cases SET result = ?, result_at = ? WHERE id = ?', [this.key.sealJson(change.result), change.at, row.id]);
      return 'applied';
    });
  }
}

async function nextSequence(tx: Queryable, day: string): Promise<number> {
  const row = await tx.get<{ last: number }>('SELECT last FROM case_numbers WHERE day = ?', [day]);
  const next = (row?.last ?? 0) + 1;
  if (next > MAX_DAILY_SEQUENCE) throw new Error(`more than ${MAX_DAILY_SEQUENCE} cases on ${day}`);
  await tx.run('INSERT INTO case_numbers (day, last) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET last = excluded.last', [day, next]);
  return next;
}
