/**
 * Soak: does the host's memory stay flat over a long day's work?
 * A real kiosk host (startHost: SQLite, the embedded hall queue, the printer
 * simulator, the ID-card reader simulator, the robot's model, the rotating
 * log file) behind the browser shell's real HTTP/WebSocket server, in a temp
 * data dir. A client speaks the contract over the WebSocket exactly as the
 * page does (token, loopback origin) and reconnects now and then, as a page
 * reload would. Phases: tickets (a hall day is 2,000 tickets; the clock then
 * moves to the next working morning), robot questions, card sessions (place,
 * wait for the citizen session, remove, log out).
 *
 * Figures: RSS and heap after a forced GC before the first phase (after a
 * warm-up) and after each phase. Target: RSS growth after GC ≤ 30 MB.
 * Prints a readable table, then one JSON line.
 *
 *   npx tsx --expose-gc scripts/bench-soak.ts [--tickets 20000] [--questions 5000] [--cards 1000] [--reconnect-every 500]
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startBrowserShellServer } from '../electron/browser-shell/server.js';
import { parseConfig } from '../electron/host/config/load.js';
import { startHost, type KioskHost } from '../electron/host/index.js';
import { rendererDist } from '../electron/host/paths.js';
import { createApiClient, type ApiClient } from '../renderer/src/api/client.js';
import type { EventName, EventPayload, MethodName, ParamsOf, ResultOf } from '../electron/contract/index.js';

const TARGET_RSS_GROWTH_MB = 30;
const TICKETS_PER_DAY = 2_000;
// A Wednesday morning in the hall: every category issues.
const CLOCK_START = Date.parse('2026-11-25T09:00:00+08:00');
const DAY_MS = 86_400_000;

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '20000' },
    questions: { type: 'string', default: '5000' },
    cards: { type: 'string', default: '1000' },
    'reconnect-every': { type: 'string', default: '500' },
  },
});
const counts = { tickets: Number(args.tickets), questions: Number(args.questions), cards: Number(args.cards), reconnectEvery: Number(args['reconnect-every']) };

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with --expose-gc (npm run bench:soak does)');
  process.exit(2);
}

interface Memory {
  phase: string;
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function settle(): Promise<void> {
  // Several rounds: finalizers and the sqlite/ws native buffers are released over a few turns.
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(phase: string): Promise<Memory> {
  await settle();
  const usage = process.memoryUsage();
  return { phase, rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), externalMb: mb(usage.external), arrayBuffersMb: mb(usage.arrayBuffers) };
}

/** The renderer's bridge over the browser shell's WebSocket, as dist/bridge/bridge.js does it in the page. */
function wsClient(url: string, origin: string): Promise<{ client: ApiClient; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    const listeners = new Set<(text: string) => void>();
    ws.on('message', (data) => {
      const text = data.toString();
      for (const listener of listeners) listener(text);
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        client: createApiClient(
          {
            send: (text) => ws.send(text),
            onMessage: (listener) => {
              listeners.add(listener);
              return () => listeners.delete(listener);
            },
          },
          60_000,
        ),
        close: () =>
          new Promise<void>((done) => {
            ws.once('close', () => done());
            ws.close();
          }),
      }),
    );
  });
}

async function call<M extends MethodName>(client: ApiClient, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  const result = await client.call(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function nextEvent<E extends EventName>(client: ApiClient, event: E, predicate: (payload: EventPayload<E>) => boolean, timeoutMs: number): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(event, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** A renderer dir for the server: the built one when there is one (npm run build), else a minimal page. */
function rendererDir(scratch: string): string {
  if (existsSync(join(rendererDist(), 'index.html'))) return rendererDist();
  const dir = join(scratch, 'renderer');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<html><head></head><body>soak</body></html>');
  return dir;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'liuliu-soak-'));
  const dataDir = join(scratch, 'data');
  let offset = CLOCK_START - Date.now();
  const config = parseConfig(
    {
      developerMode: true,
      session: { idleTimeoutSeconds: 600, countdownSeconds: 15 },
      devices: { idcard: { kind: 'simulator', pollIntervalMs: 50 }, printer: { kind: 'simulator' }, scanner: { kind: 'none' } },
      queue: { secret: 'bench-soak-secret', listen: { port: 0 } },
      logging: { level: 'info' },
    },
    'bench-soak',
    { LIULIU_DATA_DIR: dataDir },
  );
  // The host's own logger: the rotating file under <dataDir>/logs, as in a hall.
  const host: KioskHost = await startHost(config, { now: () => new Date(Date.now() + offset) });
  const bridgePath = join(scratch, 'bridge.js');
  writeFileSync(bridgePath, '/* soak: the client is in Node */');
  const server = await startBrowserShellServer({
    rendererDir: rendererDir(scratch),
    bridgeScript: readFileSync(bridgePath, 'utf8'),
    port: 0,
    logger: host.logger,
    onConnection: (connection) => host.attach(connection),
  });
  const token = new URL(server.launchUrl).hash.slice('#token='.length);
  const rpcUrl = `ws://127.0.0.1:${server.port}/rpc?token=${token}`;
  let connection = await wsClient(rpcUrl, server.origin);
  let operations = 0;
  let reconnects = 0;
  let lastReport = performance.now();
  const tick = async (): Promise<ApiClient> => {
    operations += 1;
    if (operations % 250 === 0) {
      const now = performance.now();
      process.stderr.write(`soak: ${operations} operations, ${Math.round(250_000 / (now - lastReport))}/s, RSS ${mb(process.memoryUsage().rss)} MB\n`);
      lastReport = now;
    }
    if (counts.reconnectEvery > 0 && operations % counts.reconnectEvery === 0) {
      await connection.close();
      connection = await wsClient(rpcUrl, server.origin);
      reconnects += 1;
    }
    return connection.client;
  };

  const categories = host.context.content().hall.queueCategories.map((category) => category.id);
  const questions = host.context.content().intents.intents.flatMap((intent) => intent.examples);
  let ticketsIssued = 0;
  let printed = 0;
  let day = 0;
  const issueTickets = async (count: number, tag: string): Promise<void> => {
    for (let i = 0; i < count; i++) {
      if (ticketsIssued > 0 && ticketsIssued % TICKETS_PER_DAY === 0) {
        day += 1;
        offset = CLOCK_START + day * DAY_MS - Date.now();
      }
      const client = await tick();
      let result = await client.call('queue.issue', { requestId: `soak-${tag}-${i}-${day}`, categoryId: categories[i % categories.length]! });
      // A weekend: move to the next morning and try again.
      while (!result.ok && result.error.code === 'refused' && (result.error.details as { reason?: string } | undefined)?.reason !== 'numbers-exhausted') {
        day += 1;
        offset = CLOCK_START + day * DAY_MS - Date.now();
        result = await client.call('queue.issue', { requestId: `soak-${tag}-${i}-${day}`, categoryId: categories[i % categories.length]! });
      }
      if (!result.ok) throw new Error(`queue.issue: ${result.error.code} ${result.error.message}`);
      ticketsIssued += 1;
      if (result.value.printed.ok) printed += 1;
    }
  };
  const askQuestions = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const client = await tick();
      const base = questions[i % questions.length] ?? '你好';
      // Every question a little different (a number appended), as real ones are.
      await call(client, 'robot.ask', { text: i % 3 === 0 ? `${base}${i}` : base });
    }
  };
  let cardRetries = 0;
  const cardSessions = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const sessionStarted = performance.now();
      const client = await tick();
      // The reader polls: a card placed right after the last one was removed may not be seen as new. Lift it and place it again.
      for (let attempt = 0; ; attempt++) {
        const started = nextEvent(client, 'session.changed', (event) => event.session?.kind === 'citizen', 5_000);
        await call(client, 'dev.idcard.place', { cardId: i % 2 === 0 ? 'zhang' : 'elder' });
        const outcome = await started.then(
          () => 'ok' as const,
          (err: unknown) => err as Error,
        );
        if (outcome === 'ok') break;
        if (attempt >= 5) throw new Error(`card session ${i}: ${outcome.message}`);
        cardRetries += 1;
        await call(client, 'dev.idcard.remove', {});
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      // Wait until the reader has seen the card leave (removalPolls empty polls):
      // a card placed before that is the same card still lying there, not a new one.
      const removed = nextEvent(client, 'card.notice', (notice) => notice.state === 'removed', 5_000).catch(() => undefined);
      await call(client, 'dev.idcard.remove', {});
      await removed;
      await call(client, 'session.end', { reason: 'logout' });
      if (process.env['LIULIU_SOAK_TRACE'] === '1') process.stderr.write(`card session ${i}: ${Math.round(performance.now() - sessionStarted)} ms\n`);
    }
  };

  const started = performance.now();
  // Warm-up: every path once (JIT, model, caches that are meant to fill), then the baseline.
  await issueTickets(200, 'warm');
  await askQuestions(200);
  await cardSessions(20);
  const rows: Memory[] = [await measure('baseline (after warm-up)')];
  const phaseMs: Record<string, number> = {};
  let t0 = performance.now();
  await issueTickets(counts.tickets, 'soak');
  phaseMs['tickets'] = Math.round(performance.now() - t0);
  rows.push(await measure(`after ${counts.tickets} tickets`));
  t0 = performance.now();
  await askQuestions(counts.questions);
  phaseMs['questions'] = Math.round(performance.now() - t0);
  rows.push(await measure(`after ${counts.questions} robot questions`));
  t0 = performance.now();
  await cardSessions(counts.cards);
  phaseMs['cards'] = Math.round(performance.now() - t0);
  rows.push(await measure(`after ${counts.cards} card sessions`));

  await connection.close();
  await server.close();
  await host.stop();
  rmSync(scratch, { recursive: true, force: true });

  const baseline = rows[0]!;
  const last = rows[rows.length - 1]!;
  const rssGrowthMb = Math.round((last.rssMb - baseline.rssMb) * 10) / 10;
  const heapGrowthMb = Math.round((last.heapUsedMb - baseline.heapUsedMb) * 10) / 10;
  console.log('host memory over a soak through the browser shell (after forced GC)');
  console.log('phase                                  RSS MB   heap MB  external MB');
  for (const row of rows) console.log(`${row.phase.padEnd(38)} ${String(row.rssMb).padStart(7)} ${String(row.heapUsedMb).padStart(8)} ${String(row.externalMb).padStart(11)}`);
  console.log(`RSS growth after GC (≤ ${TARGET_RSS_GROWTH_MB} MB)         ${rssGrowthMb}`);
  console.log(`heap growth after GC                   ${heapGrowthMb}`);
  console.log(`tickets ${ticketsIssued} (${printed} printed), questions ${counts.questions}, card sessions ${counts.cards}, reconnects ${reconnects}, card retries ${cardRetries}, ${Math.round((performance.now() - started) / 1000)} s`);
  console.log(
    JSON.stringify({
      bench: 'soak',
      tickets: ticketsIssued,
      printed,
      questions: counts.questions,
      cardSessions: counts.cards,
      reconnects,
      cardRetries,
      phaseMs,
      memory: rows,
      rssGrowthMb,
      heapGrowthMb,
      targetRssGrowthMb: TARGET_RSS_GROWTH_MB,
      pass: rssGrowthMb <= TARGET_RSS_GROWTH_MB,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
