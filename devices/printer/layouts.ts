/**
 * Ticket and receipt layouts: plain data in, PrintDoc out. Wrapping and
 * control-character stripping happen in layoutDoc, so any text given here
 * (a 5,000-character address included) prints safely.
 */
import type { PrintDoc, PrintItem } from './doc.js';
import { formatHhmm, hallLocalTime } from '../../electron/common/hall-time.js';

export interface QueueTicket {
  hallName: string;
  /** Queue number as called out, e.g. "A023". */
  number: string;
  categoryName: string;
  floor: string | number;
  windows: ReadonlyArray<string | number>;
  peopleAhead: number;
  etaMinutes: number;
  /** ASCII URL for the QR code (progress page). Absent: no QR code and no "scan" line (a kiosk without a public address prints none rather than a dead one). */
  qrUrl?: string;
  /** Already masked (maskName), e.g. "张*丰"; never pass a full name. */
  maskedName?: string;
  /** Shown as a banner, e.g. "老年人优先" or true for the generic "优先办理". */
  priority?: boolean | string;
  issuedAt: Date;
  /** Minutes a skipped number may still be re-queued at the window (the hall service's grace rule; default 30). */
  graceMinutes?: number;
}

/** China has one time zone and no daylight saving: UTC+8, 2026-11-24 09:05. */
export function formatBeijingTime(date: Date): string {
  const local = hallLocalTime(date);
  return `${local.day} ${formatHhmm(Math.floor(local.minuteOfDay))}`;
}

function windowsText(floor: string | number, windows: ReadonlyArray<string | number>): string {
  const floorText = typeof floor === 'number' ? `${floor}楼` : floor;
  if (windows.length === 0) return floorText;
  return `${floorText} ${windows.map(String).join('、')}号窗口`;
}

export function queueTicketDoc(ticket: QueueTicket): PrintDoc {
  const priority = ticket.priority === true ? '优先办理' : ticket.priority === false ? undefined : ticket.priority;
  const doc: PrintItem[] = [
    { kind: 'text', text: ticket.hallName, align: 'center', bold: true },
    { kind: 'rule' },
    { kind: 'text', text: '您的排队号', align: 'center' },
    { kind: 'text', text: ticket.number, align: 'center', size: 2, bold: true },
    { kind: 'text', text: ticket.categoryName, align: 'center', bold: true },
  ];
  if (priority !== undefined && priority !== '') doc.push({ kind: 'text', text: `【${priority}】`, align: 'center', bold: true });
  doc.push({ kind: 'feed', lines: 1 });
  if (ticket.maskedName !== undefined) doc.push({ kind: 'text', text: `姓名：${ticket.maskedName}` });
  doc.push(
    { kind: 'text', text: `办理地点：${windowsText(ticket.floor, ticket.windows)}` },
    { kind: 'text', text: `前面等候：${ticket.peopleAhead} 人` },
    { kind: 'text', text: `预计等候：约 ${ticket.etaMinutes} 分钟` },
    { kind: 'text', text: `取号时间：${formatBeijingTime(ticket.issuedAt)}` },
    { kind: 'rule' },
  );
  if (ticket.qrUrl !== undefined) doc.push({ kind: 'qr', data: ticket.qrUrl, align: 'center' }, { kind: 'text', text: '微信扫码查看排队进度', align: 'center' });
  doc.push({ kind: 'text', text: `请留意叫号屏幕和语音提示，过号${ticket.graceMinutes ?? 30}分钟内可到窗口申请顺延`, align: 'center' }, { kind: 'cut', partial: true });
  return doc;
}

export type ReceiptLine = string | { label: string; value: string } | { rule: true };

export interface ReceiptQr {
  data: string;
  caption?: string;
}

export interface ReceiptOptions {
  issuedAt?: Date;
  footer?: string;
}

/**
 * Generic receipt (预申请回执, 办事指南摘要…): a bold centred title, body lines
 * ("label：value" pairs wrap under themselves, strings are paragraphs), an
 * optional QR with caption, a cut.
 */
export function receiptDoc(title: string, lines: readonly ReceiptLine[], qr?: ReceiptQr, options: ReceiptOptions = {}): PrintDoc {
  const doc: PrintItem[] = [{ kind: 'text', text: title, align: 'center', size: 2, bold: true }, { kind: 'rule' }];
  for (const line of lines) {
    if (typeof line === 'string') doc.push({ kind: 'text', text: line });
    else if ('rule' in line) doc.push({ kind: 'rule' });
    else doc.push({ kind: 'text', text: `${line.label}：${line.value}` });
  }
  if (options.issuedAt !== undefined) doc.push({ kind: 'text', text: `打印时间：${formatBeijingTime(options.issuedAt)}` });
  if (qr !== undefined) {
    doc.push({ kind: 'rule' }, { kind: 'qr', data: qr.data, align: 'center' });
    if (qr.caption !== undefined) doc.push({ kind: 'text', text: qr.caption, align: 'center' });
  }
  if (options.footer !== undefined) doc.push({ kind: 'text', text: options.footer, align: 'center' });
  doc.push({ kind: 'cut', partial: true });
  return doc;
}
