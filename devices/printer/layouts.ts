/**
 * Ticket and receipt layouts: plain data in, PrintDoc out. Wrapping and
 * control-character stripping happen in layoutDoc, so any text given here
 * (a 5,000-character address included) prints safely.
 */
import type { PrintDoc, PrintItem } from './doc.js';
import { formatHhmm, hallLocalTime } from '../../electron/common/hall-time.js';
import { printWords, type PrintLocale } from '../../electron/common/printed-words.js';

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
  /** Shown as a banner, e.g. "老年人优先" or true for the generic "优先办理" (in `locale`). */
  priority?: boolean | string;
  /** The citizen's language; the words come from electron/common/printed-words.ts (zh-CN when absent). Content names are given already in it. */
  locale?: PrintLocale;
  /** Replaces the people-ahead and wait lines with one (an offline ticket cannot know its place in line). */
  waitUnknown?: boolean;
  issuedAt: Date;
  /** Minutes a skipped number may still be re-queued at the window (the hall service's grace rule; default 30). */
  graceMinutes?: number;
}

/** China has one time zone and no daylight saving: UTC+8, 2026-11-24 09:05. */
export function formatBeijingTime(date: Date): string {
  const local = hallLocalTime(date);
  return `${local.day} ${formatHhmm(Math.floor(local.minuteOfDay))}`;
}

function windowsText(locale: PrintLocale | undefined, floor: string | number, windows: ReadonlyArray<string | number>): string {
  const words = printWords(locale);
  const floorText = words.floor(floor);
  if (windows.length === 0) return floorText;
  return words.place(floorText, words.windows(windows.map(String)));
}

export function queueTicketDoc(ticket: QueueTicket): PrintDoc {
  const words = printWords(ticket.locale);
  const priority = ticket.priority === true ? words.priorityGeneric : ticket.priority === false ? undefined : ticket.priority;
  const doc: PrintItem[] = [
    { kind: 'text', text: ticket.hallName, align: 'center', bold: true },
    { kind: 'rule' },
    { kind: 'text', text: words.ticketYourNumber, align: 'center' },
    { kind: 'text', text: ticket.number, align: 'center', size: 2, bold: true },
    { kind: 'text', text: ticket.categoryName, align: 'center', bold: true },
  ];
  if (priority !== undefined && priority !== '') doc.push({ kind: 'text', text: words.banner(priority), align: 'center', bold: true });
  doc.push({ kind: 'feed', lines: 1 });
  if (ticket.maskedName !== undefined) doc.push({ kind: 'text', text: words.labelled(words.ticketName, ticket.maskedName) });
  doc.push({ kind: 'text', text: words.labelled(words.ticketPlace, windowsText(ticket.locale, ticket.floor, ticket.windows)) });
  if (ticket.waitUnknown === true) doc.push({ kind: 'text', text: words.ticketOffline });
  else doc.push({ kind: 'text', text: words.ticketAhead(ticket.peopleAhead) }, { kind: 'text', text: words.ticketEta(ticket.etaMinutes) });
  doc.push({ kind: 'text', text: words.labelled(words.ticketIssuedAt, formatBeijingTime(ticket.issuedAt)) }, { kind: 'rule' });
  if (ticket.qrUrl !== undefined) doc.push({ kind: 'qr', data: ticket.qrUrl, align: 'center' }, { kind: 'text', text: words.ticketScan, align: 'center' });
  doc.push({ kind: 'text', text: words.ticketFooter(ticket.graceMinutes ?? 30), align: 'center' }, { kind: 'cut', partial: true });
  return doc;
}

export type ReceiptLine = string | { label: string; value: string } | { rule: true };

export interface ReceiptQr {
  data: string;
  caption?: string;
}

export interface ReceiptOptions {
  issuedAt?: Date;
  /** The citizen's language for the layout's own words ("label：value", 打印时间); zh-CN when absent. */
  locale?: PrintLocale;
  footer?: string;
}

/**
 * Generic receipt (预申请回执, 办事指南摘要…): a bold centred title, body lines
 * ("label：value" pairs wrap under themselves, strings are paragraphs), an
 * optional QR with caption, a cut.
 */
export function receiptDoc(title: string, lines: readonly ReceiptLine[], qr?: ReceiptQr, options: ReceiptOptions = {}): PrintDoc {
  const words = printWords(options.locale);
  const doc: PrintItem[] = [{ kind: 'text', text: title, align: 'center', size: 2, bold: true }, { kind: 'rule' }];
  for (const line of lines) {
    if (typeof line === 'string') doc.push({ kind: 'text', text: line });
    else if ('rule' in line) doc.push({ kind: 'rule' });
    else doc.push({ kind: 'text', text: words.labelled(line.label, line.value) });
  }
  if (options.issuedAt !== undefined) doc.push({ kind: 'text', text: words.labelled(words.printedAt, formatBeijingTime(options.issuedAt)) });
  if (qr !== undefined) {
    doc.push({ kind: 'rule' }, { kind: 'qr', data: qr.data, align: 'center' });
    if (qr.caption !== undefined) doc.push({ kind: 'text', text: qr.caption, align: 'center' });
  }
  if (options.footer !== undefined) doc.push({ kind: 'text', text: options.footer, align: 'center' });
  doc.push({ kind: 'cut', partial: true });
  return doc;
}
