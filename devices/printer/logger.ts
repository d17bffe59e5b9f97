/**
 * The slice of a pino logger the printer code uses. Declared here because
 * devices/ may not import electron/host; a pino `Logger` satisfies it.
 */
export interface PrinterLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const noopLogger: PrinterLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
