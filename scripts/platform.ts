import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { DataKey } from '../electron/host/storage/crypto.js';
import { Database } from '../electron/host/storage/database.js';
import { PlatformAdmin } from '../platform/admin.js';
import { CONTENT_FILES } from '../platform-contract/contract.js';
import type { FaultConfig } from '../platform/faults.js';
import { startPlatformServer } from '../platform/server.js';
import { HolidayCalendar } from '../platform/deadlines.js';

/**
 * The reference platform server:
 *   npx tsx scripts/platform.ts --port 8800 --data-dir D [--terminal id:secret …]
 *     [--admin-token T] [--host 127.0.0.1] [--max-body-bytes N] [--window-seconds S] [--seed N]
 *     [--stale-seconds S] [--heartbeat-history N]
 *     [--fail-percent P] [--drop-percent P] [--delay-percent P --delay-ms MS]
 *     [--partial-ack-percent P] [--malformed-percent P] [--oversized-percent P] [--calendar holidays.json] [--citizen-key-secret S]
 * Prints one JSON line `{"listening": url, "adminToken": …}` on stdout once it
 * accepts connections; logs go to stderr.
 *
 * Operator commands against a running reference server (admin token):
 *   npx tsx scripts/platform.ts publish --url U --admin-token T --version V [--dir content/hall]
 *     publishes hall.json, services.json, intents.json (and models/** if present) as content version V
 *   npx tsx scripts/platform.ts case-status --url U --admin-token T --case-id ID --status S [--note N]
 *   npx tsx scripts/platform.ts appointment-create --url U --admin-token T --id-number N [--name 张三] --service S --category C
 *     --slot-start ISO [--slot-minutes 30]      books an appointment (预约); prints it with its 8-digit code
 */
const usage = [
  'usage: npx tsx scripts/platform.ts --port 8800 --data-dir DIR [--terminal id:secret …] [--admin-token T] [--fail-percent P …]',
  '       npx tsx scripts/platform.ts publish --url URL --admin-token T --version V [--dir content/hall]',
  '       npx tsx scripts/platform.ts case-status --url URL --admin-token T --case-id ID --status S [--note N]',
  '       npx tsx scripts/platform.ts appointment-create --url URL --admin-token T --id-number N [--name NAME] --service S --category C --slot-start ISO [--slot-minutes 30]',
].join('\n');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** `publish` and `case-status`: one admin call each; prints the platform's answer as JSON. */
async function adminCommand(command: 'publish' | 'case-status' | 'appointment-create', args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8800' },
      'admin-token': { type: 'string' },
      version: { type: 'string' },
      dir: { type: 'string', default: join('content', 'hall') },
      'case-id': { type: 'string' },
      status: { type: 'string' },
      note: { type: 'string' },
      'id-number': { type: 'string' },
      name: { type: 'string' },
      service: { type: 'string' },
      category: { type: 'string' },
      'slot-start': { type: 'string' },
      'slot-minutes': { type: 'string', default: '30' },
    },
  });
  const token = values['admin-token'];
  if (token === undefined) throw new Error('--admin-token is required');
  const admin = new PlatformAdmin(values.url, token);
  if (command === 'publish') {
    if (values.version === undefined) throw new Error('--version is required');
    const dir = values.dir;
    const models = join(dir, 'models');
    const paths = [...CONTENT_FILES.map((name) => join(dir, name)), ...(existsSync(models) ? filesUnder(models) : [])];
    const files = paths.map((path) => ({ path: relative(dir, path).split('\\').join('/'), bytes: readFileSync(path) }));
    process.stdout.write(`${JSON.stringify(await admin.publishContent(values.version, files))}\n`);
    return;
  }
  if (command === 'appointment-create') {
    const start = values['slot-start'] === undefined ? Number.NaN : Date.parse(values['slot-start']);
    const minutes = number(values['slot-minutes'], '--slot-minutes') ?? 30;
    if (values['id-number'] === undefined || values.service === undefined || values.category === undefined || Number.isNaN(start)) {
      throw new Error('--id-number, --service, --category and --slot-start (ISO time) are required');
    }
    const appointment = await admin.createAppointment({
      idNumber: values['id-number'],
      ...(values.name === undefined ? {} : { name: values.name }),
      serviceId: values.service,
      categoryId: values.category,
      slotStart: new Date(start).toISOString(),
      slotEnd: new Date(start + minutes * 60_000).toISOString(),
    });
    process.stdout.write(`${JSON.stringify(appointment)}\n`);
    return;
  }
  if (values['case-id'] === undefined || values.status === undefined) throw new Error('--case-id and --status are required');
  const change = await admin.postCaseStatus({ caseId: values['case-id'], status: values.status, ...(values.note === undefined ? {} : { note: values.note }) });
  process.stdout.write(`${JSON.stringify(change)}\n`);
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`${flag} needs a number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'publish' || command === 'case-status' || command === 'appointment-create') return adminCommand(command, process.argv.slice(3));
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8800' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      terminal: { type: 'string', multiple: true, default: [] },
      'admin-token': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'window-seconds': { type: 'string' },
      'stale-seconds': { type: 'string' },
      'heartbeat-history': { type: 'string' },
      seed: { type: 'string' },
      'fail-percent': { type: 'string' },
      'drop-percent': { type: 'string' },
      'delay-percent': { type: 'string' },
      'delay-ms': { type: 'string' },
      'partial-ack-percent': { type: 'string' },
      'malformed-percent': { type: 'string' },
      'oversized-percent': { type: 'string' },
      calendar: { type: 'string' },
      'citizen-key-secret': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values['data-dir'] === undefined) {
    process.stderr.write(`${usage}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const terminals = values.terminal.map((spec) => {
    const colon = spec.indexOf(':');
    if (colon <= 0) throw new Error(`--terminal takes id:secret, got "${spec}"`);
    return { id: spec.slice(0, colon), secret: spec.slice(colon + 1) };
  });
  const faults: Partial<FaultConfig> = {};
  const faultFlags = {
    failPercent: 'fail-percent',
    dropPercent: 'drop-percent',
    delayPercent: 'delay-percent',
    delayMs: 'delay-ms',
    partialAckPercent: 'partial-ack-percent',
    malformedPercent: 'malformed-percent',
    oversizedPercent: 'oversized-percent',
  } as const;
  for (const [field, flag] of Object.entries(faultFlags) as [keyof typeof faultFlags, (typeof faultFlags)[keyof typeof faultFlags]][]) {
    const value = number(values[flag], `--${flag}`);
    if (value !== undefined) faults[field] = value;
  }
  // A delay with no percentage means "delay every request".
  if (faults.delayMs !== undefined && faults.delayPercent === undefined) faults.delayPercent = 100;

  const dataDir = values['data-dir'];
  // The platform's database holds every terminal's records: its files are the platform user's only.
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logger = pino({ level: 'info' }, pino.destination(2));
  const db = await Database.open(join(dataDir, 'platform.db'));
  // Personal fields of records are sealed with this key (0600, in a 0700 dir).
  const dataKey = DataKey.loadOrCreate(join(dataDir, 'keys', 'platform-data.key'));
  const adminToken = values['admin-token'] ?? randomBytes(16).toString('hex');
  const seed = number(values.seed, '--seed');
  // Holidays and make-up working days for the reply / pre-acceptance deadlines: {"holidays": ["2026-10-01", …], "workdays": ["2026-09-27", …]}.
  const calendar = values.calendar === undefined ? undefined : HolidayCalendar.parse(JSON.parse(readFileSync(values.calendar, 'utf8')));
  const maxBodyBytes = number(values['max-body-bytes'], '--max-body-bytes');
  const windowSeconds = number(values['window-seconds'], '--window-seconds');
  const staleAfterSeconds = number(values['stale-seconds'], '--stale-seconds');
  const historyLimit = number(values['heartbeat-history'], '--heartbeat-history');
  const server = await startPlatformServer({
    db,
    dataKey,
    adminToken,
    host: values.host,
    port: number(values.port, '--port') ?? 8800,
    terminals,
    faults,
    logger,
    // Page chunks are sealed at rest with this key (0600, created on first start).
    blobKey: DataKey.loadOrCreate(join(dataDir, 'keys', 'blob.key')),
    ...(seed === undefined ? {} : { seed }),
    ...(calendar === undefined ? {} : { calendar }),
    // 一号: the hall's secret for keyed ID-number hashes, shared with its terminals; without it material reuse is off.
    ...(values['citizen-key-secret'] === undefined ? {} : { citizenKeySecret: values['citizen-key-secret'] }),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    ...(windowSeconds === undefined ? {} : { windowSeconds }),
    fleet: { ...(staleAfterSeconds === undefined ? {} : { staleAfterSeconds }), ...(historyLimit === undefined ? {} : { historyLimit }) },
  });
  process.stdout.write(`${JSON.stringify({ listening: server.url, adminToken })}\n`);
  logger.info({ url: server.url, terminals: terminals.map((t) => t.id), faults: server.faults() }, 'reference platform listening');
  const shutdown = (): void => {
    void server.close().then(() => db.close()).finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${usage}\n`);
  process.exitCode = 1;
});
