import { randomUUID } from 'node:crypto';
import type { CardRead, IdCardRecord, ReadErrorEvent } from '../../../devices/idcard/index.js';
import { maskIdNumber, maskName } from '../../common/pii.js';
import { ApiError, userMessage, type CardReaderNotice, type Locale, type SessionEndReason, type SessionView } from '../../contract/index.js';
import type { HostContext } from '../module.js';
import { SENIOR_AGE, ageOn } from '../../common/age.js';
import { serviceDay } from '../../common/hall-time.js';
import { idlePhase } from './rules.js';

/** The citizen's full card record: host memory only, for prefilling forms; gone at session end. */
export type CitizenIdentity = Pick<IdCardRecord, 'name' | 'idNumber' | 'address' | 'birthDate' | 'gender'>;

interface ActiveSession {
  view: SessionView;
  citizen: CitizenIdentity | undefined;
  lastActivity: number;
  /** Seconds last announced by the countdown; undefined = no countdown running. */
  countdown: number | undefined;
}

type EndHook = (sessionId: string) => void | Promise<void>;

const TICK_MS = 250;

/**
 * One session at a time. Started by the start button (anonymous) or by a card
 * read (citizen — an anonymous visit becomes a citizen's when a card is
 * placed). Ended by logout, the idle timeout (with a countdown any touch
 * cancels), or card removal when the policy says so. At the end every module
 * that keeps per-session data is told to wipe it.
 */
export class SessionManager {
  private active: ActiveSession | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly endHooks: EndHook[] = [];
  private closed: () => boolean = () => false;
  /** The language the citizen chose on screen; undefined = the terminal's default. Reset when her session ends. */
  private chosenLocale: Locale | undefined;

  constructor(private readonly ctx: HostContext) {}

  current(): SessionView | null {
    return this.active?.view ?? null;
  }

  /** The full identity of the current citizen, for host-side use only (never sent to the renderer). */
  citizen(): CitizenIdentity | undefined {
    return this.active?.citizen;
  }

  /** The language of what the host composes for the citizen (robot replies, tickets, receipts, speech). */
  locale(): Locale {
    return this.chosenLocale ?? this.ctx.config.defaultLocale;
  }

  setLocale(locale: Locale): void {
    this.chosenLocale = locale === this.ctx.config.defaultLocale ? undefined : locale;
  }

  /** Registers a wipe of per-session data (drafts, scans) run at every session end. */
  onEnd(hook: EndHook): void {
    this.endHooks.push(hook);
  }

  /** While `closed()` is true (the kiosk is out of service, electron/host/operations) no visit starts. */
  closeWhile(closed: () => boolean): void {
    this.closed = closed;
  }

  begin(): SessionView {
    if (!this.active && this.closed()) throw new ApiError('unavailable', userMessage('card.outOfService', {}), { reason: 'out-of-service' });
    if (this.active) {
      this.touch();
      return this.active.view;
    }
    return this.open(undefined, 'start');
  }

  touch(): void {
    if (!this.active) return;
    this.active.lastActivity = Date.now();
    if (this.active.countdown !== undefined) {
      this.active.countdown = undefined;
      this.ctx.bus.publish('session.countdown', { secondsLeft: null });
    }
  }

  async end(reason: SessionEndReason): Promise<void> {
    const ending = this.active;
    if (!ending) return;
    await this.close(ending);
    this.ctx.logger.info({ session: ending.view.id, kind: ending.view.kind, reason }, 'session ended');
    this.ctx.bus.publish('session.changed', { session: null, reason });
  }

  /** Stops a session's timer and runs every wipe hook for it. */
  private async close(ending: ActiveSession): Promise<void> {
    if (this.active === ending) this.active = undefined;
    this.chosenLocale = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    if (ending.citizen) this.ctx.redactor.forgetName(ending.citizen.name);
    ending.citizen = undefined;
    for (const hook of this.endHooks) {
      try {
        await hook(ending.view.id);
      } catch (err) {
        this.ctx.logger.error({ err, session: ending.view.id }, 'a session wipe hook failed');
      }
    }
  }

  /** A newly placed card is being read (over a second at 9600 baud): "hold still". Its outcome replaces the notice. */
  cardReading(): void {
    this.notice('reading', 'card.reading');
  }

  /** A card was read and validated by the reader. */
  cardPlaced(read: CardRead): void {
    const { record } = read;
    if (read.expired) {
      this.notice('refused', 'card.expired');
      return;
    }
    if (this.closed()) {
      this.notice('unavailable', 'card.outOfService');
      return;
    }
    const current = this.active;
    if (current?.citizen) {
      if (current.citizen.idNumber === record.idNumber) {
        this.touch();
        this.notice('read', 'card.read');
        return;
      }
      // Another person's card while a citizen is logged in: never switch silently.
      this.notice('busy', 'card.busy');
      return;
    }
    if (current) {
      // An anonymous visit becomes the citizen's own: its per-session data is wiped like any ended session's.
      void this.close(current);
    }
    this.open(record, 'card');
  }

  cardRemoved(): void {
    // Said always: the page drops a stale "read"/"busy" notice, and whoever waits for the reader to be free again knows it is.
    this.notice('removed', 'card.removed');
    if (this.active?.citizen && this.ctx.config.session.onCardRemoved === 'end') void this.end('card-removed');
  }

  readFailed(error: ReadErrorEvent): void {
    if (error.code === 'not-resident-card') this.notice('refused', 'card.notResident');
    else if (error.code === 'invalid-card') this.notice('refused', 'card.invalid');
    else this.notice('failed', 'card.failed');
  }

  notice(state: CardReaderNotice['state'], code: 'card.reading' | 'card.read' | 'card.expired' | 'card.busy' | 'card.notResident' | 'card.invalid' | 'card.failed' | 'card.removed' | 'card.unavailable' | 'card.outOfService'): void {
    this.ctx.bus.publish('card.notice', { state, say: userMessage(code, {}) });
  }

  async stop(): Promise<void> {
    await this.end('shutdown');
  }

  private open(record: IdCardRecord | undefined, reason: 'card' | 'start'): SessionView {
    const { idleTimeoutSeconds, countdownSeconds } = this.ctx.config.session;
    const now = this.ctx.now();
    const age = record ? (ageOn(record.birthDate, serviceDay(now)) ?? undefined) : undefined;
    const view: SessionView = {
      id: randomUUID(),
      kind: record ? 'citizen' : 'anonymous',
      senior: age !== undefined && age >= SENIOR_AGE,
      startedAt: now.toISOString(),
      idleTimeoutSeconds,
      countdownSeconds,
      ...(record
        ? { maskedName: maskName(record.name), maskedIdNumber: maskIdNumber(record.idNumber), age, gender: record.gender.label }
        : {}),
    };
    const citizen = record ? { name: record.name, idNumber: record.idNumber, address: record.address, birthDate: record.birthDate, gender: record.gender } : undefined;
    if (citizen) this.ctx.redactor.rememberName(citizen.name);
    this.active = { view, citizen, lastActivity: Date.now(), countdown: undefined };
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    this.ctx.logger.info({ session: view.id, kind: view.kind, maskedIdNumber: view.maskedIdNumber }, 'session started');
    this.ctx.bus.publish('session.changed', { session: view, reason });
    return view;
  }

  private tick(): void {
    const session = this.active;
    if (!session) return;
    const phase = idlePhase(Date.now() - session.lastActivity, session.view.idleTimeoutSeconds, session.view.countdownSeconds);
    if (phase.phase === 'expired') void this.end('timeout');
    else if (phase.phase === 'countdown' && phase.secondsLeft !== session.countdown) {
      session.countdown = phase.secondsLeft;
      this.ctx.bus.publish('session.countdown', { secondsLeft: phase.secondsLeft });
    }
  }
}
