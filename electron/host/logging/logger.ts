import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
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
    mkdirSync(options.dir, { recursive: true });
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
  const logger = targets.length === 0 ? pino({ ...pinoOptions, level: 'silent' }) : pino(pinoOptions, pino.transport({ targets }));
  return { logger, redactor };
}

/** A logger that drops everything: for unit tests of code that takes a Logger. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
