import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Migration } from '../electron/host/storage/database.js';
import { TerminalCommand, type CommandResult, type Heartbeat, type LogUpload, type PaperState, type RestartRecord } from '../platform-contract/contract.js';

/**
 * The reference platform's fleet view: every heartbeat kept per terminal
 * (bounded), commands for terminals (out of service, back, restart, upload
 * logs) carried in heartbeat replies until the terminal reports them done,
 * uploaded log files (bounded), and the fleet page — terminals, last seen,
 * the silent ones flagged stale, devices in error. Its own tables, beside
 * the store's.
 */
export const fleetMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'fleet: heartbeat history, terminal commands, log uploads',
    up: `CREATE TABLE fleet_heartbeats (seq INTEGER PRIMARY KEY AUTOINCREMENT, terminal_id TEXT NOT NULL, received_at TEXT NOT NULL, body TEXT NOT NULL);
    CREATE INDEX fleet_heartbeats_terminal ON fleet_heartbeats (terminal_id, seq);
    CREATE TABLE fleet_commands (id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, command TEXT NOT NULL, created_at TEXT NOT NULL, done_at TEXT, outcome TEXT, message TEXT);
    CREATE INDEX fleet_commands_terminal ON fleet_commands (terminal_id, done_at);
    CREATE TABLE fleet_log_uploads (id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, received_at TEXT NOT NULL, command_id TEXT, bytes INTEGER NOT NULL, body TEXT NOT NULL);
    CREATE INDEX fleet_log_uploads_terminal ON fleet_log_uploads (terminal_id, received_at);`,
  },
];

export interface FleetOptions {
  /** Heartbeats kept per terminal; older ones are deleted as new ones arrive. */
  historyLimit: number;
  /** Log uploads kept per terminal. */
  logUploadLimit: number;
  /** A terminal not heard from for longer than this is flagged stale. */
  staleAfterSeconds: number;
}

export const DEFAULT_FLEET_OPTIONS: FleetOptions = { historyLimit: 1000, logUploadLimit: 20, staleAfterSeconds: 120 };

const [enterCommand, exitCommand, restartCommand, uploadCommand] = TerminalCommand.options;
/** An admin's request for a command: the platform gives it its id. */
export const NewCommand = z.discriminatedUnion('type', [enterCommand.omit({ id: true }), exitCommand.omit({ id: true }), restartCommand.omit({ id: true }), uploadCommand.omit({ id: true })]);

export interface CommandRow {
  id: string;
  command: TerminalCommand;
  createdAt: string;
  doneAt: string | null;
  outcome: CommandResult['outcome'] | null;
  message: string | null;
}

export interface DeviceProblem {
  device: string;
  state: string;
  reason?: string;
}

/** One line of the fleet page. */
export interface FleetRow {
  id: string;
  revoked: boolean;
  /** `never`: registered but never heard from. */
  status: 'ok' | 'stale' | 'never';
  lastSeenAt: string | null;
  secondsSinceSeen: number | null;
  appVersion: string | null;
  contentVersion: string | null;
  uptimeSeconds: number | null;
  restartsSinceBoot: number | null;
  lastRestart: RestartRecord | null;
  backlog: number | null;
  oldestPendingSeconds: number | null;
  offlineTicketsWaiting: number | null;
  dataDirFreeBytes: number | null;
  hostRssBytes: number | null;
  printerPaper: PaperState | null;
  outOfService: boolean;
  devicesInError: DeviceProblem[];
  pendingCommands: number;
}

/** The fleet line of one terminal from its last heartbeat (pure). */
export function fleetRow(
  terminal: { id: string; revoked: boolean },
  last: { receivedAt: string; heartbeat: Heartbeat } | undefined,
  pendingCommands: number,
  now: Date,
  staleAfterSeconds: number,
): FleetRow {
  const seconds = last === undefined ? null : Math.max(0, Math.round((now.getTime() - Date.parse(last.receivedAt)) / 1000));
  const beat = last?.heartbeat;
  return {
    id: terminal.id,
    revoked: terminal.revoked,
    status: seconds === null ? 'never' : seconds > staleAfterSeconds ? 'stale' : 'ok',
    lastSeenAt: last?.receivedAt ?? null,
    secondsSinceSeen: seconds,
    appVersion: beat?.appVersion ?? null,
    contentVersion: beat?.contentVersion ?? null,
    uptimeSeconds: beat?.uptimeSeconds ?? null,
    restartsSinceBoot: beat?.restartsSinceBoot ?? null,
    lastRestart: beat?.lastRestart ?? null,
    backlog: beat?.backlog ?? null,
    oldestPendingSeconds: beat?.oldestPendingSeconds ?? null,
    offlineTicketsWaiting: beat?.offlineTicketsWaiting ?? null,
    dataDirFreeBytes: beat?.dataDirFreeBytes ?? null,
    hostRssBytes: beat?.hostRssBytes ?? null,
    printerPaper: beat?.printerPaper ?? null,
    outOfService: beat?.maintenance?.outOfService ?? false,
    devicesInError: Object.entries(beat?.devices ?? {})
      .filter(([, status]) => status.state === 'error' || status.state === 'disconnected')
      .map(([device, status]) => ({ device, state: status.state, ...(status.reason === undefined ? {} : { reason: status.reason }) })),
    pendingCommands,
  };
}

export class FleetStore {
  private constructor(
    private readonly db: Database,
    readonly options: FleetOptions,
  ) {}

  static async open(db: Database, options: Partial<FleetOptions> = {}): Promise<FleetStore> {
    await db.migrate('fleet', fleetMigrations);
    return new FleetStore(db, { ...DEFAULT_FLEET_OPTIONS, ...options });
  }

  /**
   * Keeps a heartbeat (dropping the terminal's oldest beyond the limit),
   * closes the commands it reports done, and returns the commands still open
   * for the reply.
   */
  async heartbeat(terminalId: string, heartbeat: Heartbeat, now: Date): Promise<TerminalCommand[]> {
    return this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO fleet_heartbeats (terminal_id, received_at, body) VALUES (?, ?, ?)', [terminalId, now.toISOString(), JSON.stringify(heartbeat)]);
      await tx.run(
        'DELETE FROM fleet_heartbeats WHERE terminal_id = ? AND seq <= (SELECT seq FROM fleet_heartbeats WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)',
        [terminalId, terminalId, this.options.historyLimit],
      );
      for (const result of heartbeat.commandResults ?? []) {
        await tx.run('UPDATE fleet_commands SET done_at = ?, outcome = ?, message = ? WHERE id = ? AND terminal_id = ? AND done_at IS NULL', [
          result.at,
          result.outcome,
          result.message ?? null,
          result.id,
          terminalId,
        ]);
      }
      const open = await tx.all<{ command: string }>('SELECT command FROM fleet_commands WHERE terminal_id = ? AND done_at IS NULL ORDER BY created_at, rowid LIMIT 20', [terminalId]);
      return open.map((row) => JSON.parse(row.command) as TerminalCommand);
    });
  }

  /** The terminal's heartbeats, newest first. */
  async history(terminalId: string, limit: number): Promise<{ receivedAt: string; heartbeat: Heartbeat }[]> {
    const rows = await this.db.all<{ received_at: string; body: string }>('SELECT received_at, body FROM fleet_heartbeats WHERE terminal_id = ? ORDER BY seq DESC LIMIT ?', [terminalId, limit]);
    return rows.map((row) => ({ receivedAt: row.received_at, heartbeat: JSON.parse(row.body) as Heartbeat }));
  }

  async addCommand(terminalId: string, request: z.infer<typeof NewCommand>, now: Date): Promise<TerminalCommand> {
    const command = TerminalCommand.parse({ ...request, id: randomUUID() });
    await this.db.run('INSERT INTO fleet_commands (id, terminal_id, command, created_at) VALUES (?, ?, ?, ?)', [command.id, terminalId, JSON.stringify(command), now.toISOString()]);
    return command;
  }

  async commands(terminalId: string): Promise<CommandRow[]> {
    const rows = await this.db.all<{ id: string; command: string; created_at: string; done_at: string | null; outcome: CommandResult['outcome'] | null; message: string | null }>(
      'SELECT * FROM fleet_commands WHERE terminal_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 100',
      [terminalId],
    );
    return rows.map((row) => ({ id: row.id, command: JSON.parse(row.command) as TerminalCommand, createdAt: row.created_at, doneAt: row.done_at, outcome: row.outcome, message: row.message }));
  }

  /** Keeps an upload (dropping the terminal's oldest beyond the limit). */
  async storeLogs(terminalId: string, upload: LogUpload, bytes: number, now: Date): Promise<string> {
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO fleet_log_uploads (id, terminal_id, received_at, command_id, bytes, body) VALUES (?, ?, ?, ?, ?, ?)', [
        id,
        terminalId,
        now.toISOString(),
        upload.commandId ?? null,
        bytes,
        JSON.stringify(upload),
      ]);
      await tx.run(
        'DELETE FROM fleet_log_uploads WHERE terminal_id = ? AND rowid NOT IN (SELECT rowid FROM fleet_log_uploads WHERE terminal_id = ? ORDER BY received_at DESC, rowid DESC LIMIT ?)',
        [terminalId, terminalId, this.options.logUploadLimit],
      );
    });
    return id;
  }

  async logUploads(terminalId: string): Promise<{ id: string; receivedAt: string; commandId: string | null; bytes: number; files: string[] }[]> {
    const rows = await this.db.all<{ id: string; received_at: string; command_id: string | null; bytes: number; body: string }>(
      'SELECT * FROM fleet_log_uploads WHERE terminal_id = ? ORDER BY received_at DESC, rowid DESC',
      [terminalId],
    );
    return rows.map((row) => ({ id: row.id, receivedAt: row.received_at, commandId: row.command_id, bytes: row.bytes, files: (JSON.parse(row.body) as LogUpload).files.map((file) => file.name) }));
  }

  async logUpload(id: string): Promise<(LogUpload & { terminalId: string }) | undefined> {
    const row = await this.db.get<{ terminal_id: string; body: string }>('SELECT terminal_id, body FROM fleet_log_uploads WHERE id = ?', [id]);
    return row && { ...(JSON.parse(row.body) as LogUpload), terminalId: row.terminal_id };
  }

  /** One line per registered terminal, from its last heartbeat. */
  async fleet(terminals: readonly { id: string; revoked: boolean }[], now: Date): Promise<FleetRow[]> {
    const rows: FleetRow[] = [];
    for (const terminal of [...terminals].sort((a, b) => a.id.localeCompare(b.id))) {
      const [last] = await this.history(terminal.id, 1);
      const open = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM fleet_commands WHERE terminal_id = ? AND done_at IS NULL', [terminal.id]);
      rows.push(fleetRow(terminal, last, open?.n ?? 0, now, this.options.staleAfterSeconds));
    }
    return rows;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function ago(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function megabytes(bytes: number | null): string {
  return bytes === null ? '—' : `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** The fleet page: a plain HTML table that reloads itself every 30 s. */
export function renderFleetPage(rows: readonly FleetRow[], now: Date, staleAfterSeconds: number): string {
  const cell = (text: string | number | null): string => `<td>${escapeHtml(text === null ? '—' : String(text))}</td>`;
  const lines = rows.map((row) => {
    const devices = row.devicesInError.map((d) => `${d.device}: ${d.state}${d.reason === undefined ? '' : ` (${d.reason})`}`).join('; ');
    const restart = row.lastRestart === null ? '' : ` — ${row.lastRestart.what}: ${row.lastRestart.reason}`;
    return `<tr class="is-${row.status}${row.revoked ? ' is-revoked' : ''}" data-terminal="${escapeHtml(row.id)}" data-status="${row.status}">${[
      cell(row.id),
      cell(row.status === 'ok' ? 'OK' : row.status === 'stale' ? 'STALE' : 'never seen'),
      cell(row.lastSeenAt === null ? null : `${row.lastSeenAt} (${ago(row.secondsSinceSeen)} ago)`),
      cell(row.outOfService ? 'out of service' : 'in service'),
      cell(devices === '' ? 'none' : devices),
      cell(row.uptimeSeconds === null ? null : ago(row.uptimeSeconds)),
      cell(row.restartsSinceBoot === null ? null : `${row.restartsSinceBoot}${restart}`),
      cell(row.backlog === null ? null : `${row.backlog}${row.oldestPendingSeconds === null ? '' : ` (oldest ${ago(row.oldestPendingSeconds)})`}`),
      cell(row.offlineTicketsWaiting),
      cell(row.printerPaper),
      cell(megabytes(row.dataDirFreeBytes)),
      cell(megabytes(row.hostRssBytes)),
      cell(`${row.appVersion ?? '—'} / ${row.contentVersion ?? 'shipped'}`),
      cell(row.pendingCommands),
    ].join('')}</tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30"><title>Liuliu fleet</title>
<style>body{font:14px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
.is-stale,.is-never{background:#fde2e1}.is-revoked{color:#888}th{background:#eee}</style></head>
<body><h1>Liuliu fleet</h1>
<p>${escapeHtml(now.toISOString())} · ${rows.length} terminals · ${rows.filter((r) => r.status !== 'ok').length} stale or never seen (silent for more than ${staleAfterSeconds} s) · ${rows.filter((r) => r.devicesInError.length > 0).length} with devices in error</p>
<table><thead><tr><th>terminal</th><th>status</th><th>last seen</th><th>service</th><th>devices in error</th><th>uptime</th><th>restarts since boot</th><th>outbox</th><th>offline tickets</th><th>paper</th><th>disk free</th><th>host RSS</th><th>app / content</th><th>open commands</th></tr></thead>
<tbody>${lines.join('\n')}</tbody></table></body></html>`;
}

