import { receiptDoc, type PrintDoc, type ReceiptLine } from '../../../devices/printer/index.js';
import { maskIdNumber, maskName } from '../../common/pii.js';
import type { Service } from '../content/schema.js';
import type { ReceiptData } from '../docs/index.js';
import { maskAddress } from './rules.js';
import type { Applicant, StoredCase } from './store.js';

/**
 * What goes on a case's receipts, as data: the thermal slip (PrintDoc for the
 * receipt printer) and the A4 receipt (ReceiptData for receiptPdf). Names, ID
 * numbers and addresses are masked here, whatever the renderers also do.
 */
export interface ReceiptFacts {
  hallName: string;
  service: Service;
  departmentName: string;
  stored: StoredCase;
  applicant: Applicant;
  /** Pages per material index. */
  pageCounts: ReadonlyMap<number, number>;
  /** 一号: material indexes taken from an earlier case instead of scanned (absent = none). */
  reused?: ReadonlySet<number>;
  stages: readonly string[];
  queryUrl: string;
  location?: string;
}

export const RECEIPT_TITLE = '自助预申请回执';

/** The URL in the receipt's QR code: the platform's query page for this number. */
export function queryUrl(base: string, number: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}no=${encodeURIComponent(number)}`;
}

function notes(facts: ReceiptFacts): string[] {
  return [
    '本回执为自助预申请凭证，不代表已受理。请携带材料原件到窗口核验后正式受理。',
    facts.service.guide.timeLimit.promisedDays === 0
      ? '本事项为即办件，窗口核验原件后当场办结。'
      : `承诺办理时限：受理后${facts.service.guide.timeLimit.promisedDays}个工作日。办理进度可在自助终端或扫描二维码查询。`,
    ...(facts.applicant.mailingAddress === '' ? [] : [`送达地址：${maskAddress(facts.applicant.mailingAddress)}`]),
  ];
}

export function slipDoc(facts: ReceiptFacts, printedAt: Date): PrintDoc {
  const { stored, applicant, service } = facts;
  const pages = [...facts.pageCounts.values()].reduce((sum, count) => sum + count, 0);
  const lines: ReceiptLine[] = [
    { label: '预受理号', value: stored.number },
    { label: '事项', value: service.name },
    { label: '部门', value: facts.departmentName },
    { label: '申请人', value: maskName(applicant.name) },
    { label: '身份证号', value: maskIdNumber(applicant.idNumber) },
    { label: '地址', value: maskAddress(applicant.address) },
    {
      label: '材料',
      value: (facts.reused?.size ?? 0) > 0 ? `扫描${facts.pageCounts.size}项 共${pages}页，沿用已提交材料${facts.reused?.size ?? 0}项` : `${facts.pageCounts.size}项 共${pages}页`,
    },
    { label: '当前环节', value: stored.stage },
    { rule: true },
    ...notes(facts),
  ];
  return receiptDoc(RECEIPT_TITLE, [facts.hallName, ...lines], { data: facts.queryUrl, caption: '扫码查询办理进度' }, { issuedAt: printedAt, ...(facts.location === undefined ? {} : { footer: facts.location }) });
}

export function a4Receipt(facts: ReceiptFacts): ReceiptData {
  const { stored, applicant, service } = facts;
  return {
    hallName: facts.hallName,
    title: RECEIPT_TITLE,
    number: stored.number,
    serviceName: service.name,
    applicantName: maskName(applicant.name),
    idNumber: maskIdNumber(applicant.idNumber),
    materials: service.guide.materials.map((material, index) => ({
      name: material.name,
      copies: material.copies,
      pages: facts.pageCounts.get(index) ?? 0,
      ...(facts.reused?.has(index) === true ? { note: `沿用已提交的材料${material.note === undefined ? '' : `；${material.note}`}` } : material.note === undefined ? {} : { note: material.note }),
    })),
    date: new Date(stored.submittedAt),
    stages: facts.stages,
    currentStage: stored.stage,
    queryUrl: facts.queryUrl,
    notes: [`申请人地址：${maskAddress(applicant.address)}`, ...notes(facts)],
    ...(facts.location === undefined ? {} : { location: facts.location }),
  };
}
