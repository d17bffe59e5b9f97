/**
 * A simulated day in the hall (issue #17 item 5): issues and serves a few
 * hundred tickets over a simulated clock (the service's injectable `now`)
 * with the seeded PRNG, into a hall service data directory, so the statistics
 * page has real figures to show. Counters log in, call, serve 3–15 minutes,
 * skip no-shows (some come back and are re-queued), transfer a few tickets.
 * About a third of the citizens served rate the service at a kiosk (好差评:
 * stars by how long they waited, reasons for low ones, the department of
 * their category or none), reported to the service in batches through the
 * kiosks' own channel (`reportRatings` with a kiosk caller, as over the
 * socket). The same seed gives the same day.
 *
 *   npx tsx scripts/simulate-hall-day.ts --data-dir D [--day 2026-11-25] [--tickets 400] [--seed 7]
 *   npm run simulate:hall-day -- --data-dir D
 *
 * Then run the service on that directory (`npm run hall -- --data-dir D --manager manager.json
 * --clock-start 2026-11-25T17:30:00+08:00 …`) and open `/stats/`. Last stdout line: one JSON
 * object with what was simulated and the day's hall totals from `service.figures`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hallInstant, parseHhmm, weekdayOf } from '../electron/common/hall-time.js';
import { seededRandom } from '../electron/common/random.js';
import { Hall } from '../electron/host/content/schema.js';
import { silentLogger } from '../electron/host/logging/logger.js';
import { DataKey } from '../electron/host/storage/crypto.js';
import { Database } from '../electron/host/storage/database.js';
import { Outbox, outboxMigrations } from '../electron/host/storage/outbox.js';
import { hashPin } from '../electron/host/staff/credentials.js';
import { HallQueueService } from '../hall/service.js';
import { dispatch } from '../hall/server.js';
import type { HallRating, Ticket } from '../hall/protocol/index.js';
import { RATING_REASONS } from '../electron/contract/guide.js';

/** The categories that open windows in the simulation, with their share of citizens. */
const SIMULATED = [
  { share: 0.3, windows: 3 },
  { share: 0.25, windows: 3 },
  { share: 0.2, windows: 2 },
  { share: 0.15, windows: 2 },
  { share: 0.1, windows: 1 },
];
/** Issuing sessions of a weekday (hall.json's), as minutes of the day; counters serve until the line is empty. */
const SESSIONS = [
  { start: '08:30', cutoff: '11:30' },
  { start: '14:00', cutoff: '17:00' },
];

interface Counter {
  windowNo: string;
  staffId: string;
  categoryIndex: number;
  /** Minute of the day the current service ends (null: idle). */
  busyUntil: number | null;
  /** The citizen called will not turn up: skip at `busyUntil`. */
  noShow: boolean;
  /** Send the current citizen on to another category at `busyUntil`. */
  transferTo: string | null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      day: { type: 'string', default: '2026-11-25' },
      tickets: { type: 'string', default: '400' },
      seed: { type: 'string', default: '7' },
      content: { type: 'string', default: 'content/hall' },
    },
  });
  const dataDir = values['data-dir'];
  if (dataDir === undefined) throw new Error('--data-dir is required');
  const day = values.day;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || weekdayOf(day) === 0 || weekdayOf(day) === 6) throw new Error('--day must be a weekday YYYY-MM-DD');
  const total = Number(values.tickets);
  if (!Number.isInteger(total) || total < 1 || total > 3000) throw new Error('--tickets must be 1–3000');
  const random = seededRandom(Number(values.seed));
  const hall = Hall.parse(JSON.parse(readFileSync(join(values.content, 'hall.json'), 'utf8')));
  const categories = hall.queueCategories.slice(0, SIMULATED.length);

  let minute = parseHhmm(SESSIONS[0]!.start);
  const now = (): Date => hallInstant(day, minute);
  mkdirSync(dataDir, { recursive: true });
  const db = await Database.open(join(dataDir, 'hall-queue.db'));
  await db.migrate('outbox', outboxMigrations);
  const outbox = new Outbox(DataKey.loadOrCreate(join(dataDir, 'keys', 'data.key')));
  const pin = String(100000 + Math.floor(random() * 900000));
  const counters: Counter[] = [];
  categories.forEach((category, categoryIndex) => {
    for (const windowNo of category.windows.slice(0, SIMULATED[categoryIndex]!.windows)) {
      counters.push({ windowNo, staffId: `sim-${windowNo}`, categoryIndex, busyUntil: null, noShow: false, transferTo: null });
    }
  });
  const pinHash = hashPin(pin);
  const service = await HallQueueService.open({
    hall,
    db,
    outbox,
    logger: silentLogger(),
    now,
    kioskId: 'simulated-day',
    counters: counters.map((c) => ({ staffId: c.staffId, pinHash, windows: [c.windowNo] })),
  });
  const must = <T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }, what: string): T => {
    if (!result.ok) throw new Error(`${what}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  for (const counter of counters) must(await service.counterLogin({ windowNo: counter.windowNo, staffId: counter.staffId, pin }), `login ${counter.windowNo}`);

  // Ratings draw on a stream of their own, so adding them left the queue figures of a seed as they were.
  const ratingRandom = seededRandom(Number(values.seed) + 7919);
  const pendingRatings: HallRating[] = [];
  let ratingsSent = 0;
  const rate = (ticket: Ticket): void => {
    if (ratingRandom() >= 0.35) return;
    const waited = ticket.calledAt === null ? 0 : (Date.parse(ticket.calledAt) - Date.parse(ticket.issuedAt)) / 60_000;
    // A long wait pulls the stars down: mostly 4–5 stars, 1–2 for about one in eight, more after half an hour.
    const r = ratingRandom() + Math.min(0.35, waited / 120);
    const stars = r < 0.45 ? 5 : r < 0.72 ? 4 : r < 0.86 ? 3 : r < 0.95 ? 2 : 1;
    const reasons = new Set<string>();
    if (stars <= 2) {
      reasons.add(waited > 20 || ratingRandom() < 0.4 ? 'long-wait' : RATING_REASONS[1 + Math.floor(ratingRandom() * (RATING_REASONS.length - 2))]!);
      if (ratingRandom() < 0.4) reasons.add(RATING_REASONS[Math.floor(ratingRandom() * (RATING_REASONS.length - 1))]!);
    } else if (stars === 3 && ratingRandom() < 0.3) reasons.add('long-wait');
    const category = hall.queueCategories.find((c) => c.id === ticket.categoryId);
    const departmentId = category === undefined || ratingRandom() < 0.1 ? undefined : category.departmentIds[Math.floor(ratingRandom() * category.departmentIds.length)];
    pendingRatings.push({ id: randomUUID(), at: now().toISOString(), stars, reasons: [...reasons], ...(departmentId === undefined ? {} : { departmentId }) });
  };
  /** What a kiosk's sync does: the kept ratings, in one report, as kiosk `simulated-kiosk`. */
  const sendRatings = async (): Promise<void> => {
    if (pendingRatings.length === 0) return;
    const report = { kioskId: 'simulated-kiosk', ratings: pendingRatings.splice(0, 200) };
    const outcomes = must(await dispatch(service, 'reportRatings', report, { kind: 'kiosk', kioskId: 'simulated-kiosk' }), 'ratings');
    if (!Array.isArray(outcomes) || outcomes.length !== report.ratings.length) throw new Error('ratings: unexpected answer');
    ratingsSent += report.ratings.length;
  };

  const issuingMinutes = SESSIONS.reduce((sum, s) => sum + parseHhmm(s.cutoff) - parseHhmm(s.start), 0);
  const perMinute = total / issuingMinutes;
  const pickCategory = (): number => {
    let r = random();
    for (let i = 0; i < SIMULATED.length; i++) {
      r -= SIMULATED[i]!.share;
      if (r < 0) return i;
    }
    return SIMULATED.length - 1;
  };
  let issued = 0;
  let noShows = 0;
  let transfers = 0;
  let requeued = 0;
  const skippedToComeBack: Array<{ displayNo: string; windowNo: string; staffId: string; at: number }> = [];
  const end = parseHhmm('18:00');
  for (; minute < end; minute++) {
    const session = SESSIONS.find((s) => minute >= parseHhmm(s.start) && minute < parseHhmm(s.cutoff));
    // Arrivals: the day's tickets spread over the issuing minutes (the remainder falls by chance).
    if (session !== undefined) {
      const arrivals = Math.floor(perMinute) + (random() < perMinute - Math.floor(perMinute) ? 1 : 0);
      for (let a = 0; a < arrivals && issued < total; a++) {
        must(await service.issue({ requestId: randomUUID(), categoryId: categories[pickCategory()]!.id, kioskId: 'simulated-kiosk' }), 'issue');
        issued++;
      }
    }
    // Some skipped citizens come back within the grace and are re-queued at the window that skipped them.
    for (const back of skippedToComeBack.filter((b) => b.at === minute)) {
      must(await service.requeue({ windowNo: back.windowNo, staffId: back.staffId, displayNo: back.displayNo }), 'requeue');
      requeued++;
    }
    for (const counter of counters) {
      if (counter.busyUntil !== null && minute < counter.busyUntil) continue;
      const at = { windowNo: counter.windowNo, staffId: counter.staffId };
      if (counter.busyUntil !== null) {
        if (counter.noShow) {
          const skipped = must(await service.skip(at), 'skip');
          if (random() < 0.4) skippedToComeBack.push({ displayNo: skipped.displayNo, ...at, at: minute + 5 + Math.floor(random() * 15) });
          else noShows++;
        } else if (counter.transferTo !== null) {
          must(await service.transfer({ ...at, toCategoryId: counter.transferTo }), 'transfer');
          transfers++;
        } else {
          rate(must(await service.finish(at), 'finish'));
        }
        counter.busyUntil = null;
      }
      // Counters stop calling at lunch (11:45–14:00) and after 17:45.
      if ((minute >= parseHhmm('11:45') && minute < parseHhmm('14:00')) || minute >= parseHhmm('17:45')) continue;
      const next = must(await service.callNext(at), 'call');
      if (next.called === null) continue;
      const r = random();
      counter.noShow = r < 0.05;
      counter.transferTo = !counter.noShow && r < 0.08 ? categories[(counter.categoryIndex + 1) % categories.length]!.id : null;
      counter.busyUntil = minute + (counter.noShow ? 2 : counter.transferTo !== null ? 3 : 3 + Math.floor(random() * 13));
    }
    // The kiosks' sync tick.
    if (minute % 15 === 0) await sendRatings();
  }
  await sendRatings();
  const figures = await service.figures(day, day);
  const dayTotal = figures.rows.find((r) => r.scope === 'hall' && r.hour === null)!;
  await db.close();
  const ratings = figures.ratings.reduce((sum, r) => sum + r.count, 0);
  process.stdout.write(`${JSON.stringify({ day, seed: Number(values.seed), issued, transfers, noShows, requeued, windows: counters.length, hall: dayTotal, ratingsSent, ratings, ratedDepartments: figures.ratings.length })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate-hall-day: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
