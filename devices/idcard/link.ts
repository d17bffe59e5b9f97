/**
 * One command in flight at a time over a ByteChannel: drop stale input, send
 * the command, wait for a frame that can be its answer, within a timeout
 * scaled to the baud rate. Failures come back as typed errors the driver
 * branches on; nothing here retries.
 */
import type { Logger } from 'pino';
import type { ByteChannel } from './channel.js';
import { buildCommand, commandTimeoutMs, feedResponses, isAnswerTo } from './commands.js';
import type { CommandName, ResponseFrame } from './commands.js';
import { EMPTY_PARSER } from './frame.js';
import type { FrameError, ParserState } from './frame.js';

export type LinkFailure =
  /** No answer in time. */
  | { kind: 'timeout'; command: CommandName; timeoutMs: number }
  /** An answer arrived but its length or checksum was wrong. */
  | { kind: 'corrupt'; command: CommandName; error: FrameError }
  /** The channel closed (unplugged, I/O error, or stop). */
  | { kind: 'gone'; reason: string };

export class LinkError extends Error {
  constructor(readonly failure: LinkFailure) {
    super(describeFailure(failure));
    this.name = 'LinkError';
  }
}

function describeFailure(failure: LinkFailure): string {
  switch (failure.kind) {
    case 'timeout':
      return `${failure.command}: no answer within ${failure.timeoutMs} ms`;
    case 'corrupt':
      return `${failure.command}: corrupt answer (${failure.error.kind})`;
    case 'gone':
      return `channel closed: ${failure.reason}`;
  }
}

interface Pending {
  command: CommandName;
  resolve: (frame: ResponseFrame) => void;
  reject: (error: LinkError) => void;
  timer: NodeJS.Timeout;
}

export class CommandLink {
  private parser: ParserState = EMPTY_PARSER;
  private pending: Pending | undefined;
  private goneReason: string | undefined;
  /** Timeouts since the last answer of any kind: a reader that stays silent is not working. */
  consecutiveTimeouts = 0;

  constructor(
    private readonly channel: ByteChannel,
    private readonly logger: Logger,
    private readonly timeoutScale: number,
  ) {
    channel.onData((bytes) => this.receive(bytes));
    channel.onClose((reason) => {
      this.goneReason = reason;
      this.settle((p) => p.reject(new LinkError({ kind: 'gone', reason })));
    });
  }

  async transact(command: CommandName): Promise<ResponseFrame> {
    if (this.goneReason !== undefined) throw new LinkError({ kind: 'gone', reason: this.goneReason });
    if (this.pending) throw new Error(`${command} sent while ${this.pending.command} is in flight`);
    this.parser = EMPTY_PARSER;
    await this.channel.discardInput();
    const timeoutMs = commandTimeoutMs(command, this.channel.baudRate, this.timeoutScale);
    const answer = new Promise<ResponseFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.consecutiveTimeouts += 1;
        this.settle((p) => p.reject(new LinkError({ kind: 'timeout', command, timeoutMs })));
      }, timeoutMs);
      this.pending = { command, resolve, reject, timer };
    });
    this.channel.write(buildCommand(command)).catch((error: Error) => {
      this.settle((p) => p.reject(new LinkError({ kind: 'gone', reason: error.message })));
    });
    return answer;
  }

  private receive(bytes: Buffer): void {
    const result = feedResponses(this.parser, bytes);
    this.parser = result.state;
    for (const error of result.errors) this.logger.debug({ frameError: error }, 'idcard: dropped bytes from the reader');
    const pending = this.pending;
    for (const frame of result.frames) {
      if (pending && isAnswerTo(pending.command, frame)) {
        this.consecutiveTimeouts = 0;
        this.settle((p) => p.resolve(frame));
        return;
      }
      this.logger.debug({ sw3: frame.sw3, dataBytes: frame.data.length, awaiting: pending?.command }, 'idcard: dropped a stale answer');
    }
    const corruption = result.errors.find((error) => error.kind !== 'garbage');
    if (pending && corruption) {
      this.consecutiveTimeouts = 0;
      this.settle((p) => p.reject(new LinkError({ kind: 'corrupt', command: pending.command, error: corruption })));
    }
  }

  private settle(action: (pending: Pending) => void): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    action(pending);
  }
}
