import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { maskIdNumbersInText } from '../../common/pii.js';
import { ApiError, HELP_REASON_MAX, type HelpRequestView, type PopularQuestion, type RobotAnswerView, type RobotLanguage } from '../../contract/index.js';
import type { ContentPackage } from '../content/schema.js';
import { cleanText } from '../docs/index.js';
import type { HostContext, HostModule } from '../module.js';
import { appRoot } from '../paths.js';
import type { DataKey } from '../storage/crypto.js';
import type { Database, Migration } from '../storage/database.js';
import { composeAnswer, composeOutOfScopeAnswer, floorMap, type AnswerOptions, type RobotAnswer } from './answers.js';
import { RobotBrain } from './brain.js';
import { inputCandidates } from './candidates.js';
import { buildVocabulary, type VocabularyEntry } from './pinyin-search.js';
import { deviceReason } from '../../common/device-reasons.js';

/**
 * 浏浏 in the host: loads the brain at start and again whenever the content
 * package changes, answers questions and tapped suggestions (never throwing:
 * any input gets a sane answer), offers pinyin candidates for the on-screen
 * keyboard, and takes help requests — stored with their outbox row in one
 * transaction, announced as `help.requested`, listed and resolved by staff.
 */

export interface RobotModuleOptions {
  /** Directory of the trained model; default: `model/` inside the content package if it has one, else the shipped `content/model`. */
  modelDir?: string;
  /** The floor the kiosk stands on (a facility on this floor is preferred); a call's `currentFloor` wins. */
  currentFloor?: number;
  /**
   * Throws ApiError('refused') unless a staff PIN session is open — the sync
   * module's guard (electron/host/sync/staff.ts). Without it the staff
   * methods (help.list, help.resolve) are refused: fail closed.
   */
  requireStaff?: () => void;
  /** The citizen's language (the session's): replies and floor maps follow it; zh-CN when not wired. */
  locale?: () => 'zh-CN' | 'en';
}

/** Help requests, kept for the staff screen; the platform copy goes through the outbox (kind `help.request`). */
export const helpMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create help_requests',
    up: `CREATE TABLE help_requests (
      id TEXT PRIMARY KEY,
      at TEXT NOT NULL,
      terminal_id TEXT NOT NULL,
      reason TEXT,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
      resolved_at TEXT
    );
    CREATE INDEX help_requests_open ON help_requests (status, at);`,
  },
  {
    version: 2,
    name: 'help request reasons sealed with the data key (they may hold an address or a phone number)',
    // The sealing needs the data key, so the host runs it (sealHelpReasons) right after this column exists.
    up: 'ALTER TABLE help_requests ADD COLUMN reason_sealed BLOB',
  },
];

/** Seals reasons still stored in clear (written before migration 2) and clears the plain column. */
async function sealHelpReasons(db: Database, key: DataKey): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.all<{ id: string; reason: string }>('SELECT id, reason FROM help_requests WHERE reason IS NOT NULL');
    for (const row of rows) await tx.run('UPDATE help_requests SET reason_sealed = ?, reason = NULL WHERE id = ?', [key.seal(row.reason), row.id]);
    return rows.length;
  });
}

export const HELP_REQUEST_KIND = 'help.request';
/** How many popular-question chips the screen shows. */
const POPULAR_COUNT = 6;
const CANDIDATE_LIMIT = 8;

interface HelpRow {
  id: string;
  at: string;
  terminal_id: string;
  reason_sealed: Buffer | null;
  status: 'open' | 'resolved';
}

const HELP_COLUMNS = 'id, at, terminal_id, reason_sealed, status';

const helpView = (row: HelpRow, key: DataKey): HelpRequestView => ({
  id: row.id,
  at: row.at,
  terminalId: row.terminal_id,
  reason: row.reason_sealed === null ? null : key.open(row.reason_sealed).toString('utf8'),
  status: row.status,
});

/**
 * A reason as staff may see it: control characters gone, personal data masked
 * (`mask`: ID numbers, and in the host the logged-in citizen's name too), bounded; empty → null.
 */
export function cleanHelpReason(raw: string | undefined, mask: (text: string) => string = maskIdNumbersInText): string | null {
  if (raw === undefined) return null;
  const text = mask(cleanText(raw).replace(/\s+/g, ' '));
  if (text === '') return null;
  const chars = Array.from(text);
  return chars.length <= HELP_REASON_MAX ? text : `${chars.slice(0, HELP_REASON_MAX - 1).join('')}…`;
}

/** Popular questions: the first example of the intents with the most examples (the ones citizens ask most in many ways). */
export function popularQuestions(content: Pick<ContentPackage, 'intents'>, count = POPULAR_COUNT): PopularQuestion[] {
  return content.intents.intents
    .map((intent, index) => ({ intent, index }))
    .filter(({ intent }) => intent.examples.length > 0)
    .sort((a, b) => b.intent.examples.length - a.intent.examples.length || a.index - b.index)
    .slice(0, count)
    .map(({ intent }) => ({ intentId: intent.id, label: intent.examples[0] ?? intent.id }));
}

/** The answer for the screen: the brain's answer plus the destination's floor map. */
export function answerView(content: ContentPackage, answer: RobotAnswer, locale: 'zh-CN' | 'en' = 'zh-CN'): RobotAnswerView {
  const map = answer.destination ? floorMap(content, answer.destination.floor, answer.destination, locale) : undefined;
  return { ...answer, ...(map ? { floorMap: map } : {}) };
}

export function defaultModelDir(content: ContentPackage): string {
  const packaged = join(content.dir, 'model');
  return existsSync(join(packaged, 'intent-config.json')) ? packaged : join(appRoot(), 'content', 'model');
}

export interface RobotHostModule extends HostModule {
  /** The brain in force (for tests and tools); undefined only before start. */
  brain(): RobotBrain | undefined;
  /** Resolves when the load started by the latest content change is in force. */
  reloaded(): Promise<void>;
}

export function robotModule(ctx: HostContext, options: RobotModuleOptions = {}): RobotHostModule {
  const logger = ctx.logger.child({ module: 'robot' });
  let brain: RobotBrain | undefined;
  let vocabulary: VocabularyEntry[] = [];
  let popular: PopularQuestion[] = [];
  let brainContent: ContentPackage = ctx.content();
  let generation = 0;
  let reloading: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | undefined;

  const requireStaff = (): void => {
    if (options.requireStaff === undefined) throw new ApiError('refused', 'staff features are not wired for help requests', { reason: 'off' });
    options.requireStaff();
  };

  /** Loads a brain for `content` and puts it in force unless a newer load started meanwhile. Never throws. */
  const load = async (content: ContentPackage): Promise<void> => {
    const mine = ++generation;
    const modelDir = options.modelDir ?? defaultModelDir(content);
    let next: RobotBrain | undefined;
    try {
      next = await RobotBrain.load({ modelDir, content, logger });
    } catch (err) {
      // RobotBrain.load promises not to throw; if it does, keep the robot answering with what it has.
      logger.error({ err, modelDir }, 'robot brain failed to load');
      ctx.devices.report('robot', { state: 'error', reason: deviceReason('device.robotFailed', { detail: (err as Error).message }), endpoint: `file:${modelDir}` });
      return;
    }
    if (mine !== generation) {
      next.dispose();
      return;
    }
    const previous = brain;
    brain = next;
    brainContent = content;
    vocabulary = buildVocabulary(content);
    popular = popularQuestions(content);
    previous?.dispose();
    const health = next.health();
    const loadMs = Math.round(next.loadMs);
    // The load time goes with the reason: the model's (lexical fallback) or that it loaded.
    const reason = health.reason?.code === 'device.robotLexicalOnly' ? deviceReason('device.robotLexicalOnly', { detail: String(health.reason.params['detail']), loadMs }) : (health.reason ?? deviceReason('device.robotLoaded', { loadMs }));
    ctx.devices.report('robot', { ...health, reason, endpoint: health.endpoint ?? `file:${modelDir}` });
    logger.info({ loadMs: Math.round(next.loadMs), state: health.state, contentVersion: content.hall.version }, 'robot brain in force');
  };

  const locale = (): 'zh-CN' | 'en' => options.locale?.() ?? 'zh-CN';
  // The citizen's language: the session's (session.locale), unless the call names one.
  const answerOptions = (currentFloor: number | undefined, language: RobotLanguage | undefined): AnswerOptions => {
    const floor = currentFloor ?? options.currentFloor;
    return { ...(floor === undefined ? {} : { currentFloor: floor }), locale: language ?? locale() };
  };

  /** Any failure becomes the decline with a call-staff button, never an exception at the caller. */
  const safeAnswer = (what: string, compose: () => RobotAnswer): RobotAnswerView => {
    try {
      return answerView(brainContent, compose(), locale());
    } catch (err) {
      logger.error({ err, what }, 'robot could not compose an answer');
      return { ...composeOutOfScopeAnswer(brainContent, { locale: locale() }), actions: ['call-staff'] };
    }
  };

  return {
    name: 'robot',
    brain: () => brain,
    reloaded: () => reloading,
    handlers: {
      'robot.ask': ({ text, currentFloor, language }) =>
        safeAnswer('ask', () => {
          if (brain === undefined) return composeOutOfScopeAnswer(brainContent, { locale: language ?? locale() });
          const { result, answer } = brain.ask(text, answerOptions(currentFloor, language));
          // The question itself may hold personal data: log only what the robot decided.
          logger.info(
            { intentId: result.intentId, confidence: Number(result.confidence.toFixed(3)), unsure: result.unsure, clarify: answer.kind === 'clarify', declineTopic: result.declineTopic, source: result.source, chars: text.length },
            'robot answered',
          );
          return answer;
        }),
      'robot.suggestion': ({ intentId, currentFloor, language }) => safeAnswer('suggestion', () => composeAnswer(brainContent, intentId, answerOptions(currentFloor, language))),
      'robot.popular': () => popular,
      'input.candidates': ({ query, limit }) => {
        try {
          return inputCandidates(vocabulary, query, limit ?? CANDIDATE_LIMIT);
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'pinyin candidates failed');
          return [];
        }
      },
      'robot.callStaff': async ({ reason }) => {
        const request: HelpRequestView = { id: randomUUID(), at: ctx.now().toISOString(), terminalId: ctx.config.terminalId, reason: cleanHelpReason(reason, (text) => ctx.redactor.text(text)), status: 'open' };
        await ctx.db.transaction(async (tx) => {
          await tx.run('INSERT INTO help_requests (id, at, terminal_id, reason_sealed) VALUES (?, ?, ?, ?)', [
            request.id,
            request.at,
            request.terminalId,
            request.reason === null ? null : ctx.key.seal(request.reason),
          ]);
          await ctx.outbox.append(
            tx,
            {
              id: request.id,
              kind: HELP_REQUEST_KIND,
              schemaVersion: 1,
              payload: { id: request.id, at: request.at, terminalId: request.terminalId, ...(request.reason === null ? {} : { reason: request.reason }) },
            },
            ctx.now(),
          );
        });
        logger.info({ helpRequestId: request.id }, 'help requested');
        ctx.bus.publish('help.requested', request);
        return request;
      },
      'help.list': async () => {
        requireStaff();
        const rows = await ctx.db.all<HelpRow>(`SELECT ${HELP_COLUMNS} FROM help_requests WHERE status = 'open' ORDER BY at, id`);
        return rows.map((row) => helpView(row, ctx.key));
      },
      'help.resolve': async ({ id }) => {
        requireStaff();
        const row = await ctx.db.get<HelpRow>(`SELECT ${HELP_COLUMNS} FROM help_requests WHERE id = ?`, [id]);
        if (row === undefined) throw new ApiError('not_found', `no help request ${id}`);
        if (row.status === 'open') {
          await ctx.db.run("UPDATE help_requests SET status = 'resolved', resolved_at = ? WHERE id = ? AND status = 'open'", [ctx.now().toISOString(), id]);
          logger.info({ helpRequestId: id }, 'help request resolved');
        }
        return { ok: true as const };
      },
    },
    async start() {
      await ctx.db.migrate('help', helpMigrations);
      const sealed = await sealHelpReasons(ctx.db, ctx.key);
      if (sealed > 0) logger.info({ sealed }, 'help request reasons stored in clear by an earlier version are now sealed');
      ctx.devices.report('robot', { state: 'starting', reason: deviceReason('device.robotLoading', {}) });
      await load(ctx.content());
      unsubscribe = ctx.onContentChanged((next) => {
        reloading = load(next);
      });
    },
    async stop() {
      unsubscribe?.();
      generation += 1;
      await reloading;
      brain?.dispose();
      brain = undefined;
    },
  };
}
