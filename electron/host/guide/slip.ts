import { randomBytes } from 'node:crypto';
import { formatBeijingTime, receiptDoc, type PrintDoc, type ReceiptLine } from '../../../devices/printer/index.js';
import { REPLY_PAGE_PATH } from '../../../platform-contract/contract.js';
import { printWords, type PrintLocale } from '../../common/printed-words.js';

/**
 * The slip after a consultation or complaint. When the kiosk knows the
 * platform's public URL, it carries a QR to her phone page there:
 * `<publicUrl>/m/consultations/<token>`, the token 32 random bytes made here,
 * kept in memory only until her visit ends, and sent to the platform only as
 * its SHA-256 (`replyPageKey` in the record). The slip shows no more than the
 * page: kind, category, time received — not her text, name or phone.
 */
export function replyPageToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface SlipFacts {
  kind: 'consultation' | 'complaint';
  category: string;
  at: Date;
  /** Her card was read: she can also read the answer at the kiosk under 我的咨询. */
  withCard: boolean;
  hallName: string;
  /** The full phone page URL, or null (no public URL: no QR). */
  pageUrl: string | null;
  /** The citizen's language (zh-CN when absent). */
  locale?: PrintLocale;
}

export function replyPageUrl(base: string, token: string): string {
  return `${base}${REPLY_PAGE_PATH}${token}`;
}

export function feedbackSlipDoc(facts: SlipFacts, printedAt: Date): PrintDoc {
  const words = printWords(facts.locale);
  const lines: ReceiptLine[] = [
    { label: words.slipCategory, value: words.feedbackCategory(facts.category) },
    { label: words.slipReceivedAt, value: formatBeijingTime(facts.at) },
    words.slipReplyPromise,
  ];
  if (facts.withCard) lines.push(words.slipWithCard);
  if (facts.pageUrl === null && !facts.withCard) lines.push(words.slipBySms);
  return receiptDoc(words.slipTitle(facts.kind), lines, facts.pageUrl === null ? undefined : { data: facts.pageUrl, caption: words.slipScan }, {
    issuedAt: printedAt,
    footer: facts.hallName,
    ...(facts.locale === undefined ? {} : { locale: facts.locale }),
  });
}
