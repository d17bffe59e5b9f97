/**
 * Scan failures as typed values: what went wrong (code), what the citizen is
 * told (userMessage, Chinese), and the technical detail for staff logs. The
 * mapping from a finished `scanimage` process to a code is a pure function
 * (spec scanner-sane.md §5) so it is tested without spawning anything.
 */
export type ScanErrorCode =
  | 'no-scanner'
  | 'cover-open'
  | 'jammed'
  | 'no-documents'
  | 'busy'
  | 'io-error'
  | 'access-denied'
  | 'invalid-options'
  | 'timeout'
  | 'cancelled';

export const SCAN_ERROR_MESSAGES: Readonly<Record<ScanErrorCode, string>> = {
  'no-scanner': '未检测到扫描仪，请联系工作人员',
  'cover-open': '扫描仪盖板未合上，请合上盖板后重试',
  jammed: '扫描仪卡纸，请取出卡住的纸张后重试',
  'no-documents': '未检测到待扫描的材料，请放好材料后重试',
  busy: '扫描仪正忙，请稍后再试',
  'io-error': '扫描仪故障，请联系工作人员',
  'access-denied': '扫描仪无法访问，请联系工作人员',
  'invalid-options': '扫描设置有误，请联系工作人员',
  timeout: '扫描超时，请重试或联系工作人员',
  cancelled: '扫描已取消',
};

/** Codes after which the device itself should be probed again (spec §6 step 6). */
export const DEVICE_FAULT_CODES: ReadonlySet<ScanErrorCode> = new Set(['io-error', 'no-scanner', 'access-denied', 'timeout']);

export class ScanError extends Error {
  readonly code: ScanErrorCode;
  readonly userMessage: string;
  /** Technical detail for logs (scanimage stderr lines, exit code); never shown to citizens. */
  readonly detail: string;

  constructor(code: ScanErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'ScanError';
    this.code = code;
    this.userMessage = SCAN_ERROR_MESSAGES[code];
    this.detail = detail;
  }
}

/** Exit codes 2–11 are the SANE status of the failed sane_start/sane_read (spec §5). */
const STATUS_EXIT_CODES: Readonly<Record<number, ScanErrorCode>> = {
  2: 'cancelled',
  3: 'busy',
  4: 'invalid-options',
  6: 'jammed',
  7: 'no-documents',
  8: 'cover-open',
  9: 'io-error',
  10: 'io-error',
  11: 'access-denied',
};

export interface FinishedScan {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Non-progress stderr lines, in order. */
  messages: readonly string[];
  /** Set when the driver itself stopped the process. */
  stoppedBecause?: 'timeout' | 'cancel' | 'stuck';
}

/**
 * Why a finished scanimage run failed, or null when the process itself
 * reports success (exit 0, no signal). Output files still have to be checked
 * by the caller: exit 0 does not prove a page was written.
 */
export function classifyFinishedScan(run: FinishedScan): ScanError | null {
  const detail = describe(run);
  // Our own stop wins over whatever status the backend chose on SIGINT (the
  // test backend answers 9, real ones may answer 2).
  if (run.stoppedBecause === 'timeout') return new ScanError('timeout', detail);
  if (run.stoppedBecause === 'cancel') return new ScanError('cancelled', detail);
  if (run.stoppedBecause === 'stuck') return new ScanError(statusFromMessages(run.messages) ?? 'io-error', detail);
  if (run.signal !== null) return new ScanError('io-error', detail);
  // On a second signal (e.g. SIGPIPE from the test backend's reader process)
  // scanimage prints "aborting" and exits 0 mid-scan: not a success.
  if (run.exitCode === 0) return run.messages.includes('aborting') ? new ScanError(statusFromMessages(run.messages) ?? 'io-error', detail) : null;
  if (run.exitCode === 1) return new ScanError(classifyExitOne(run.messages), detail);
  const byStatus = run.exitCode === null ? undefined : STATUS_EXIT_CODES[run.exitCode];
  // 134 (libpng abort, spec §5) and anything unknown is a device fault.
  return new ScanError(byStatus ?? 'io-error', detail);
}

/** The SANE status texts scanimage prints after `sane_start:` / `sane_read:` (C locale). */
const STATUS_MESSAGES: ReadonlyArray<readonly [string, ScanErrorCode]> = [
  ['Operation was canceled', 'cancelled'],
  ['Device busy', 'busy'],
  ['Invalid argument', 'invalid-options'],
  ['Document feeder jammed', 'jammed'],
  ['Document feeder out of documents', 'no-documents'],
  ['Scanner cover is open', 'cover-open'],
  ['Error during device I/O', 'io-error'],
  ['Out of memory', 'io-error'],
  ['Access to resource has been denied', 'access-denied'],
  ['Operation not supported', 'io-error'],
];

/** The failure the last `sane_start:`/`sane_read:` message names, if any: used when the exit code says nothing useful. */
export function statusFromMessages(messages: readonly string[]): ScanErrorCode | undefined {
  for (const message of [...messages].reverse()) {
    const match = /^sane_(?:start|read): (.+)$/.exec(message);
    if (!match) continue;
    return STATUS_MESSAGES.find(([text]) => match[1]?.startsWith(text))?.[1];
  }
  return undefined;
}

/** Exit 1 covers open failures, option errors and SANE_STATUS_UNSUPPORTED alike: tell them apart by message. */
function classifyExitOne(messages: readonly string[]): ScanErrorCode {
  const text = messages.join('\n');
  if (/open of device .* failed|no scanners were identified/i.test(text)) return 'no-scanner';
  if (/access to resource has been denied/i.test(text)) return 'access-denied';
  if (/setting of option|unknown output image format|invalid argument|unrecognized option|is not a valid/i.test(text)) return 'invalid-options';
  return 'io-error';
}

function describe(run: FinishedScan): string {
  const how = run.signal !== null ? `signal ${run.signal}` : `exit ${String(run.exitCode)}`;
  const why = run.stoppedBecause === undefined ? '' : ` after ${run.stoppedBecause}`;
  const lastLines = run.messages.slice(-5).join(' | ');
  return `scanimage ${how}${why}${lastLines === '' ? '' : `: ${lastLines}`}`;
}
