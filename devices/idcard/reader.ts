/**
 * IdCardReader: the resident ID card reader driver. Opens a ByteChannel
 * (serial or HID, re-opened with backoff when it disappears), checks the SAM,
 * then polls find → select → read and reports each card once.
 *
 * Events:
 * - `health`       DeviceHealth on every change: `starting`, `ok`,
 *                  `disconnected` (channel absent or lost), `error`
 *                  (reader silent, or SAM fault 60/66 = out of service).
 * - `reading`      a newly placed card was found and its read begins (at
 *                  9600 baud it takes over a second: "hold still"). Followed
 *                  by exactly one `cardPlaced` or `readError`, unless the
 *                  reader is stopped meanwhile.
 * - `cardPlaced`   CardRead after a card was read and validated.
 * - `readError`    ReadErrorEvent when a placed card could not be read after
 *                  all attempts, or was refused (invalid data, not a
 *                  resident card). Show `messageZh` to the citizen.
 * - `cardRemoved`  after a card that was read or refused has left the field
 *                  (debounced); only then is the next card accepted.
 *
 * The photo (and any fingerprint) is discarded as soon as the response is
 * decoded: CardRead has no photo field, and no reference to the response
 * buffer outlives the read.
 */
import type { Logger } from 'pino';
import { deviceReason, sameDeviceReason, type DeviceReason } from '../../electron/common/device-reasons.js';
import { maskIdNumber } from '../../electron/common/pii.js';
import { Emitter } from '../device.js';
import type { Device, DeviceHealth } from '../device.js';
import { decodeReadBase } from './card.js';
import type { CardRefusal } from './card.js';
import type { ByteChannel, ChannelFactory } from './channel.js';
import type { CommandName, ResponseFrame } from './commands.js';
import { CommandLink, LinkError } from './link.js';
import { decodeNewestAddress, decodeSamId } from './payload.js';
import { ARMED, AWAITING_REMOVAL, onFindResult } from './presence.js';
import type { Presence } from './presence.js';
import { SW3, statusInfo } from './status.js';
import { isExpired, localIsoDate } from './validate.js';
import type { CardProblem, IdCardRecord } from './validate.js';

export interface CardRead {
  record: IdCardRecord;
  /** 最新住址 from `30 03`, shown in addition to the base address; null when absent or not asked for. */
  appendedAddress: string | null;
  /** validTo lies before today (long-term cards never expire); the host decides what that means. */
  expired: boolean;
  /** ISO timestamp of the successful read. */
  readAt: string;
}

/** A malformed response is retried like a failed read, so it surfaces as `read-failed`. */
export type ReadErrorCode = 'read-failed' | Exclude<CardRefusal['code'], 'malformed-response'>;

export interface ReadErrorEvent {
  code: ReadErrorCode;
  /** English, for staff and logs (contains no personal data). */
  message: string;
  /** Chinese, for the citizen. */
  messageZh: string;
  /** Which checks failed, for `invalid-card`. */
  problems?: CardProblem[];
}

export type IdCardReaderEvents = {
  health: DeviceHealth;
  reading: undefined;
  cardPlaced: CardRead;
  cardRemoved: undefined;
  readError: ReadErrorEvent;
};

export interface IdCardReaderOptions {
  openChannel: ChannelFactory;
  logger: Logger;
  /** Pause between finds while idle (default DEFAULT_POLL_INTERVAL_MS; the reader spec suggests 300–500 ms, at the price of a slower login). */
  pollIntervalMs?: number;
  /** find → select → read attempts for one placed card before giving up. */
  readAttempts?: number;
  /** Consecutive "no card" finds that count as removal. */
  removalPolls?: number;
  /** Stretches every command timeout (slow hosts, tests on loaded machines). */
  timeoutScale?: number;
  /** Send `10 FF` (reset SAM) after opening. */
  resetSamOnOpen?: boolean;
  /** Also read the appended address (`30 03`) after each card. */
  readNewestAddress?: boolean;
  /** Re-open backoff: first delay, doubled per failure up to the max. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** How often an out-of-service SAM is asked again whether it recovered. */
  outOfServiceRecheckMs?: number;
  /** Silent commands in a row after which the channel is re-opened. */
  unresponsiveAfterTimeouts?: number;
  now?: () => Date;
}

/**
 * Pause between finds while no card is being read. 30 ms: a placed card waits
 * on average 15 ms for the next find, so a login stays within wire time + 50 ms
 * (README "Resident ID-card login"). Idle cost at 115200 baud: 33 finds/s,
 * each 21 bytes on the line (≈6 % of it), and well under 1 % of one core in
 * the host (`npm run bench:idcard`, idle rows).
 */
export const DEFAULT_POLL_INTERVAL_MS = 30;

const DEFAULTS = {
  pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
  readAttempts: 3,
  removalPolls: 2,
  timeoutScale: 1,
  resetSamOnOpen: false,
  readNewestAddress: false,
  reconnectMinMs: 250,
  reconnectMaxMs: 5000,
  outOfServiceRecheckMs: 10_000,
  unresponsiveAfterTimeouts: 5,
} as const;

/** The SAM's status that put the reader out of service, as the staff screen shows it (the byte and the manual's meaning). */
function outOfServiceReason(sw3: number): DeviceReason {
  return deviceReason('device.idcardOutOfService', { status: `0x${sw3.toString(16).padStart(2, '0')}`, detail: statusInfo(sw3).meaning });
}

/** The SAM answered 60/66: no command will work until it recovers. */
class OutOfService extends Error {
  constructor(readonly sw3: number) {
    super(statusInfo(sw3).meaning);
  }
}

/** The reader stopped answering; re-open the channel. */
class Unresponsive extends Error {}

type FinalRefusal = Exclude<CardRefusal, { code: 'malformed-response' }>;
type CardOutcome = { kind: 'read'; read: CardRead } | { kind: 'refused'; refusal: FinalRefusal } | { kind: 'failed'; reason: string };

export class IdCardReader implements Device<IdCardReaderEvents> {
  readonly events = new Emitter<IdCardReaderEvents>();
  private readonly options: Required<Omit<IdCardReaderOptions, 'now'>> & { now: () => Date };
  private current: DeviceHealth = { state: 'starting' };
  private running = false;
  private stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private channel: ByteChannel | undefined;

  constructor(options: IdCardReaderOptions) {
    this.options = { ...DEFAULTS, now: () => new Date(), ...stripUndefined(options), openChannel: options.openChannel, logger: options.logger };
  }

  health(): DeviceHealth {
    return this.current;
  }

  /** Resolves at once; connection and polling continue in the background until stop(). */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    this.stopController = new AbortController();
    this.setHealth({ state: 'starting' });
    this.loop = this.run().catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'idcard: driver loop failed');
      this.setHealth({ state: 'error', reason: deviceReason('device.driverFailure', { detail: String(error) }) });
    });
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopController.abort();
    await this.channel?.close().catch(() => undefined);
    await this.loop;
    this.setHealth({ state: 'disconnected', reason: deviceReason('device.stopped', {}), endpoint: this.current.endpoint });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const channel = this.options.openChannel();
      this.channel = channel;
      try {
        await channel.open();
      } catch (error) {
        this.setHealth({ state: 'disconnected', reason: deviceReason('device.idcardDisconnected', { detail: errorMessage(error) }), endpoint: channel.endpoint });
        await this.sleep(this.backoff(failures++));
        continue;
      }
      if (!this.running) {
        await channel.close().catch(() => undefined);
        break;
      }
      this.options.logger.info({ endpoint: channel.endpoint }, 'idcard: channel open');
      const ended = await this.session(channel);
      await channel.close().catch(() => undefined);
      if (!this.running) break;
      if (ended === 'unresponsive') {
        this.setHealth({ state: 'error', reason: deviceReason('device.idcardUnresponsive', {}), endpoint: channel.endpoint });
      } else {
        this.setHealth({ state: 'disconnected', reason: deviceReason('device.idcardDisconnected', { detail: ended.reason }), endpoint: channel.endpoint });
      }
      this.options.logger.warn({ endpoint: channel.endpoint, ended }, 'idcard: channel lost, re-opening');
      failures = ended === 'unresponsive' ? failures + 1 : 0;
      await this.sleep(this.backoff(failures));
    }
  }

  /** Runs until the channel is gone, the reader falls silent, or stop(). */
  private async session(channel: ByteChannel): Promise<'unresponsive' | { reason: string }> {
    const link = new CommandLink(channel, this.options.logger, this.options.timeoutScale);
    try {
      await this.bringUp(link, channel.endpoint);
      let presence: Presence = ARMED;
      while (this.running) {
        presence = await this.pollOnce(link, presence);
        await this.sleep(this.options.pollIntervalMs);
      }
      return { reason: 'stopped' };
    } catch (error) {
      if (error instanceof Unresponsive) return 'unresponsive';
      if (error instanceof LinkError && error.failure.kind === 'gone') return { reason: error.failure.reason };
      throw error;
    }
  }

  /**
   * Optional SAM reset, then SAM status until the module answers without a
   * SAM fault (any other answer proves the line works; it is logged), then
   * the SAM ID for the log.
   */
  private async bringUp(link: CommandLink, endpoint: string): Promise<void> {
    if (this.options.resetSamOnOpen) await this.command(link, 'resetSam');
    while (this.running) {
      const status = await this.command(link, 'samStatus');
      if (status === undefined) {
        await this.sleep(this.options.pollIntervalMs);
        continue;
      }
      const info = statusInfo(status.sw3);
      if (info.handling === 'out-of-service') {
        this.setHealth({ state: 'error', reason: outOfServiceReason(status.sw3), endpoint });
        await this.sleep(this.options.outOfServiceRecheckMs);
        continue;
      }
      if (status.sw3 !== SW3.success) this.options.logger.warn({ sw3: status.sw3, meaning: info.meaning }, 'idcard: unexpected SAM status, continuing');
      break;
    }
    const samId = await this.command(link, 'readSamId');
    if (samId?.sw3 === SW3.success) {
      const decoded = decodeSamId(samId.data);
      this.options.logger.info({ samId: decoded.ok ? decoded.value : decoded.reason }, 'idcard: SAM ready');
    }
    this.setHealth({ state: 'ok', endpoint });
  }

  private async pollOnce(link: CommandLink, presence: Presence): Promise<Presence> {
    let find: ResponseFrame | undefined;
    try {
      find = await this.checked(link, 'findCard');
    } catch (error) {
      if (error instanceof OutOfService) return this.outOfService(link, error, presence);
      throw error;
    }
    if (find === undefined || (find.sw3 !== SW3.findSucceeded && find.sw3 !== SW3.noCard)) return presence;
    const step = onFindResult(presence, find.sw3 === SW3.findSucceeded, this.options.removalPolls);
    if (step.removed) {
      this.options.logger.info('idcard: card removed');
      this.events.emit('cardRemoved', undefined);
    }
    if (!step.readNow) return step.presence;

    this.events.emit('reading', undefined);
    let outcome: CardOutcome;
    try {
      outcome = await this.readPlacedCard(link);
    } catch (error) {
      // The SAM failed or the reader went away mid-read: `reading` still gets its answer.
      if (this.running) this.reportOutcome({ kind: 'failed', reason: errorMessage(error) });
      if (error instanceof OutOfService) return this.outOfService(link, error, presence);
      throw error;
    }
    // Stopped mid-read: the attempt was cut short, not failed.
    if (!this.running) return presence;
    this.reportOutcome(outcome);
    return AWAITING_REMOVAL;
  }

  private reportOutcome(outcome: CardOutcome): void {
    if (outcome.kind === 'read') {
      this.options.logger.info({ idNumber: maskIdNumber(outcome.read.record.idNumber), expired: outcome.read.expired }, 'idcard: card read');
      this.events.emit('cardPlaced', outcome.read);
    } else if (outcome.kind === 'refused') {
      const { refusal } = outcome;
      this.options.logger.warn({ code: refusal.code, message: refusal.message }, 'idcard: card refused');
      this.events.emit('readError', { code: refusal.code, message: refusal.message, messageZh: refusal.messageZh, ...(refusal.code === 'invalid-card' && { problems: refusal.problems }) });
    } else {
      this.options.logger.warn({ reason: outcome.reason }, 'idcard: card could not be read');
      this.events.emit('readError', { code: 'read-failed', message: `Card could not be read: ${outcome.reason}`, messageZh: '读卡失败，请取走身份证后重新放置' });
    }
  }

  /** Up to readAttempts × (find → select → read); a refusal is final, a failure retries. */
  private async readPlacedCard(link: CommandLink): Promise<CardOutcome> {
    let reason = 'no attempt made';
    for (let attempt = 1; attempt <= this.options.readAttempts && this.running; attempt++) {
      if (attempt > 1) {
        const find = await this.checked(link, 'findCard');
        if (find?.sw3 !== SW3.findSucceeded) {
          reason = find ? statusInfo(find.sw3).meaning : 'find: no valid answer';
          continue;
        }
      }
      const select = await this.checked(link, 'selectCard');
      if (select?.sw3 !== SW3.success) {
        reason = select ? statusInfo(select.sw3).meaning : 'select: no valid answer';
        continue;
      }
      const read = await this.checked(link, 'readBase');
      if (read?.sw3 !== SW3.success) {
        reason = read ? statusInfo(read.sw3).meaning : 'read: no valid answer';
        continue;
      }
      const today = localIsoDate(this.options.now());
      const decoded = decodeReadBase(read.data, today);
      if (!decoded.ok) {
        if (decoded.refusal.code === 'malformed-response') {
          reason = decoded.refusal.message;
          continue;
        }
        return { kind: 'refused', refusal: decoded.refusal };
      }
      const appendedAddress = this.options.readNewestAddress ? await this.appendedAddress(link) : null;
      return {
        kind: 'read',
        read: { record: decoded.record, appendedAddress, expired: isExpired(decoded.record, today), readAt: this.options.now().toISOString() },
      };
    }
    return { kind: 'failed', reason };
  }

  private async appendedAddress(link: CommandLink): Promise<string | null> {
    const answer = await this.checked(link, 'readNewestAddress');
    if (answer?.sw3 !== SW3.success) return null;
    const address = decodeNewestAddress(answer.data);
    return address === '' ? null : address;
  }

  private async outOfService(link: CommandLink, error: OutOfService, presence: Presence): Promise<Presence> {
    this.options.logger.error({ sw3: error.sw3 }, 'idcard: SAM fault, out of service');
    this.setHealth({ state: 'error', reason: outOfServiceReason(error.sw3), endpoint: this.current.endpoint });
    await this.sleep(this.options.outOfServiceRecheckMs);
    const status = await this.command(link, 'samStatus');
    if (status?.sw3 === SW3.success) this.setHealth({ state: 'ok', endpoint: this.current.endpoint });
    return presence;
  }

  /** Like command(), but a SAM fault status throws OutOfService. */
  private async checked(link: CommandLink, name: CommandName): Promise<ResponseFrame | undefined> {
    const answer = await this.command(link, name);
    if (answer && statusInfo(answer.sw3).handling === 'out-of-service') throw new OutOfService(answer.sw3);
    return answer;
  }

  /**
   * One command. Timeouts and corrupt answers come back as undefined (the
   * caller treats them like a failed status); a vanished channel or a reader
   * silent for too long ends the session.
   */
  private async command(link: CommandLink, name: CommandName): Promise<ResponseFrame | undefined> {
    try {
      return await link.transact(name);
    } catch (error) {
      if (!(error instanceof LinkError) || error.failure.kind === 'gone') throw error;
      this.options.logger.debug({ failure: error.failure }, 'idcard: command failed');
      if (link.consecutiveTimeouts >= this.options.unresponsiveAfterTimeouts) throw new Unresponsive('reader stopped answering');
      return undefined;
    }
  }

  private setHealth(health: DeviceHealth): void {
    const same = health.state === this.current.state && sameDeviceReason(health.reason, this.current.reason) && health.endpoint === this.current.endpoint;
    this.current = health;
    if (!same) this.events.emit('health', health);
  }

  private backoff(failures: number): number {
    return Math.min(this.options.reconnectMaxMs, this.options.reconnectMinMs * 2 ** Math.min(failures, 20));
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stopController.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
