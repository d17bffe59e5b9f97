/**
 * Printer status bytes (spec §6) → conditions the kiosk acts on, and the
 * demultiplexer that tells DLE EOT, GS r and Automatic Status Back replies
 * apart on one byte stream. Pure functions.
 */

export type PrinterFault = 'paper_out' | 'cover_open' | 'cutter_error' | 'printer_error' | 'offline';
export type PrintFailureReason = PrinterFault | 'unreachable' | 'timeout' | 'disconnected' | 'invalid_document' | 'stopped';

/** Chinese text for staff screens and the citizen-facing error message. */
export const FAILURE_MESSAGES: Record<PrintFailureReason, string> = {
  paper_out: '打印机缺纸',
  cover_open: '打印机上盖未关闭',
  cutter_error: '打印机切刀故障',
  printer_error: '打印机故障',
  offline: '打印机离线',
  unreachable: '无法连接打印机',
  timeout: '打印机无响应',
  disconnected: '打印中打印机连接中断，票据可能未完整打印',
  invalid_document: '票据内容无效，无法打印',
  stopped: '打印服务已停止',
};
export const PAPER_NEAR_END_MESSAGE = '打印纸即将用完';

export type PrintResult =
  | { printed: true; warning?: { reason: 'paper_near_end'; message: string } }
  | { printed: false; reason: PrintFailureReason; message: string };

export function printFailure(reason: PrintFailureReason, detail?: string): PrintResult & { printed: false } {
  return { printed: false, reason, message: detail === undefined ? FAILURE_MESSAGES[reason] : `${FAILURE_MESSAGES[reason]}（${detail}）` };
}

/** Replies to DLE EOT 1, 2, 4 (and 3 when n=2 reports an error). */
export interface RealtimeStatusBytes {
  printer: number;
  offlineCause: number;
  paper: number;
  errorCause?: number;
}

export interface PrinterCondition {
  fault?: PrinterFault;
  paperNearEnd: boolean;
}

/** Fixed bits of every DLE EOT reply: bit0 = 0, bit1 = 1, bit4 = 1, bit7 = 0. */
export function isRealtimeReply(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** n=2 bit6 "error occurred": ask n=3 for the cause. */
export function offlineCauseHasError(offlineCause: number): boolean {
  return (offlineCause & 0x40) !== 0;
}

/**
 * Order matters: a printer out of paper also reports "offline" and "error",
 * so the specific cause wins over the generic one.
 */
export function interpretRealtimeStatus(status: RealtimeStatusBytes): PrinterCondition {
  const paperEnd = (status.paper & 0x60) !== 0 || (status.offlineCause & 0x20) !== 0;
  const paperNearEnd = (status.paper & 0x0c) !== 0;
  const fault = ((): PrinterFault | undefined => {
    if (paperEnd) return 'paper_out';
    if ((status.offlineCause & 0x04) !== 0) return 'cover_open';
    if (status.errorCause !== undefined && (status.errorCause & 0x08) !== 0) return 'cutter_error';
    if (offlineCauseHasError(status.offlineCause)) return 'printer_error';
    if ((status.printer & 0x08) !== 0) return 'offline';
    return undefined;
  })();
  return fault === undefined ? { paperNearEnd } : { fault, paperNearEnd };
}

/** GS r 1 reply: bits 0–1 near end, bits 2–3 paper end. */
export function interpretPaperSensor(byte: number): PrinterCondition {
  const paperNearEnd = (byte & 0x03) !== 0;
  return (byte & 0x0c) !== 0 ? { fault: 'paper_out', paperNearEnd } : { paperNearEnd };
}

export type StatusReply =
  | { kind: 'realtime'; value: number }
  | { kind: 'paper'; value: number }
  | { kind: 'asb'; bytes: readonly [number, number, number, number] }
  | { kind: 'unknown'; value: number };

export interface DemuxState {
  /** Bytes of an Automatic Status Back block received so far (0–3). */
  readonly pendingAsb: readonly number[];
}

export const initialDemuxState: DemuxState = { pendingAsb: [] };

/**
 * Splits a reply stream: an ASB header (bit4 = 1, bits 0–1 = 00) starts a
 * 4-byte block whose later bytes have bit4 = 0; a DLE EOT reply has bit4 = 1
 * and bit1 = 1; a GS r reply has bit4 = 0. Works across chunk boundaries.
 */
export function demuxStatusBytes(state: DemuxState, bytes: Uint8Array): { state: DemuxState; replies: StatusReply[] } {
  const replies: StatusReply[] = [];
  let pending = [...state.pendingAsb];
  for (const byte of bytes) {
    if (pending.length > 0) {
      pending.push(byte);
      if (pending.length === 4) {
        replies.push({ kind: 'asb', bytes: [pending[0] ?? 0, pending[1] ?? 0, pending[2] ?? 0, pending[3] ?? 0] });
        pending = [];
      }
    } else if ((byte & 0x80) !== 0) {
      replies.push({ kind: 'unknown', value: byte });
    } else if ((byte & 0x10) === 0) {
      replies.push({ kind: 'paper', value: byte });
    } else if ((byte & 0x03) === 0) {
      pending = [byte];
    } else if (isRealtimeReply(byte)) {
      replies.push({ kind: 'realtime', value: byte });
    } else {
      replies.push({ kind: 'unknown', value: byte });
    }
  }
  return { state: { pendingAsb: pending }, replies };
}
