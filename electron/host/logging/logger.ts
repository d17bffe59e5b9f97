import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { Redactor } from './redact.js';

export type Logger = pino.Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  /** Directory for the rotating log files; omitted = no file (tests). */
  dir?: string;
  /** Also write to stderr (development, CLI tools). */
  stderr?: boolean;
  redactor?: Redactor;
  /**
   * The log writer failed (a full disk: ENOSPC). Logging must never take the
   * host down: the error is handed here (the host reports it on the staff
   * screen) and records are dropped until the writer recovers.
   */
  onWriteError?: (err: Error) => void;
}

/**
 * Structured JSON logs, rotated daily or at 10 MB, 14 files kept. Every record
 * passes through the Redactor before it is serialised, so no code path can log
 * an unmasked ID number or a known citizen's name.
 */
export function createLogger(options: LoggerOptions): { logger: Logger; redactor: Redactor } {
  const redactor = options.redactor ?? new Redactor();
  const targets: pino.TransportTargetOptions[] = [];
  if (options.dir !== undefined) {
    // Logs are personal data too (masked, but still): kiosk user only; the host's umask makes the files 0600.
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    targets.push({
      target: 'pino-roll',
      level: options.level,
      options: { file: join(options.dir, 'liuliu'), extension: '.log', frequency: 'daily', size: '10m', mkdir: true, limit: { count: 14 } },
    });
  }
  if (options.stderr === true) targets.push({ target: 'pino/file', level: options.level, options: { destination: 2 } });

  const pinoOptions: pino.LoggerOptions = {
    level: options.level,
    base: { app: 'liuliu' },
    formatters: { log: (record) => redactor.value(record) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) => redactor.value(arg)) as Parameters<typeof method>;
        method.apply(this, cleaned);
      },
    },
  };
  if (targets.length === 0) return { logger: pino({ ...pinoOptions, level: 'silent' }), redactor };
  const transport = pino.transport({ targets });
  // Without a listener, the worker's write error (ENOSPC) is an uncaught 'error' event and exits the host.
  transport.on('error', (err: Error) => options.onWriteError?.(err));
  const logger = pino(pinoOptions, transport);
  return { logger, redactor };
}

/** A logger that drops everything: for unit tests of code that takes a Logger. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** A logger that keeps every line (parsed) in `lines`: for tests that a refusal was logged. */
export function recordingLogger(lines: Array<Record<string, unknown>>): Logger {
  return pino({ level: 'debug' }, { write: (line: string) => void lines.push(z.record(z.string(), z.unknown()).parse(JSON.parse(line))) });
}
