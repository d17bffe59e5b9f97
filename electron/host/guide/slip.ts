import { randomBytes } from 'node:crypto';
import { formatBeijingTime, receiptDoc, type PrintDoc, type ReceiptLine } from '../../../devices/printer/index.js';
import { REPLY_PAGE_PATH } from '../../../platform-contract/contract.js';
import { FEEDBACK_CATEGORY_NAMES } from '../../../platform-contract/kinds.js';

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
}

export function replyPageUrl(base: string, token: string): string {
  return `${base}${REPLY_PAGE_PATH}${token}`;
}

export function feedbackSlipDoc(facts: SlipFacts, printedAt: Date): PrintDoc {
  const what = facts.kind === 'complaint' ? '投诉' : '咨询';
  const lines: ReceiptLine[] = [
    { label: '类别', value: FEEDBACK_CATEGORY_NAMES[facts.category] ?? facts.category },
    { label: '收到时间', value: formatBeijingTime(facts.at) },
    '工作人员将在2个工作日内答复。',
  ];
  if (facts.withCard) lines.push('凭本人身份证在自助终端"办件查询→我的咨询"可查看答复。');
  if (facts.pageUrl === null && !facts.withCard) lines.push('如留有手机号码，答复将以短信告知。');
  return receiptDoc(`${what}回执`, lines, facts.pageUrl === null ? undefined : { data: facts.pageUrl, caption: '手机扫码查看办理状态和答复' }, { issuedAt: printedAt, footer: facts.hallName });
}
