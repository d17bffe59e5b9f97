import { receiptDoc, type PrintDoc, type ReceiptLine } from '../../../devices/printer/index.js';
import { maskIdNumber, maskName } from '../../common/pii.js';
import { printWords, type PrintLocale, type PrintWords } from '../../common/printed-words.js';
import type { Service } from '../content/schema.js';
import { guideInLocale } from '../content/english.js';
import type { ReceiptData } from '../docs/index.js';
import { maskAddress } from './rules.js';
import type { Applicant, StoredCase } from './store.js';

/**
 * What goes on a case's receipts, as data: the thermal slip (PrintDoc for the
 * receipt printer) and the A4 receipt (ReceiptData for receiptPdf). Names, ID
 * numbers and addresses are masked here, whatever the renderers also do.
 * The words are the citizen's language (printed-words.ts); the names given
 * here (hall, service, department, stages, location) come already in it.
 */
export interface ReceiptFacts {
  hallName: string;
  service: Service;
  /** The service's name in `locale`; absent = the content's Chinese name. */
  serviceName?: string;
  departmentName: string;
  stored: StoredCase;
  applicant: Applicant;
  /** Pages per material index. */
  pageCounts: ReadonlyMap<number, number>;
  /** 一号: material indexes taken from an earlier case instead of scanned (absent = none). */
  reused?: ReadonlySet<number>;
  stages: readonly string[];
  /** The case's current stage as the citizen reads it (absent = the stored stage). */
  stageName?: string;
  queryUrl: string;
  location?: string;
  /** The citizen's language (zh-CN when absent). */
  locale?: PrintLocale;
}

/** The URL in the receipt's QR code: the platform's query page for this number. */
export function queryUrl(base: string, number: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}no=${encodeURIComponent(number)}`;
}

function notes(facts: ReceiptFacts, words: PrintWords): string[] {
  const promised = facts.service.guide.timeLimit.promisedDays;
  return [
    words.caseNotAccepted,
    promised === 0 ? words.caseImmediate : words.casePromised(promised),
    ...(facts.applicant.mailingAddress === '' ? [] : [words.labelled(words.caseMailingAddress, maskAddress(facts.applicant.mailingAddress))]),
  ];
}

export function slipDoc(facts: ReceiptFacts, printedAt: Date): PrintDoc {
  const { stored, applicant, service } = facts;
  const words = printWords(facts.locale);
  const pages = [...facts.pageCounts.values()].reduce((sum, count) => sum + count, 0);
  const lines: ReceiptLine[] = [
    { label: words.caseNumber, value: stored.number },
    { label: words.caseService, value: facts.serviceName ?? service.name },
    { label: words.caseDepartment, value: facts.departmentName },
    { label: words.caseApplicant, value: maskName(applicant.name) },
    { label: words.caseIdNumber, value: maskIdNumber(applicant.idNumber) },
    { label: words.caseAddress, value: maskAddress(applicant.address) },
    {
      label: words.caseMaterials,
      value: (facts.reused?.size ?? 0) > 0 ? words.caseMaterialCountReused(facts.pageCounts.size, pages, facts.reused?.size ?? 0) : words.caseMaterialCount(facts.pageCounts.size, pages),
    },
    { label: words.caseStage, value: facts.stageName ?? stored.stage },
    { rule: true },
    ...notes(facts, words),
  ];
  return receiptDoc(words.caseTitle, [facts.hallName, ...lines], { data: facts.queryUrl, caption: words.caseScan }, { issuedAt: printedAt, ...(facts.locale === undefined ? {} : { locale: facts.locale }), ...(facts.location === undefined ? {} : { footer: facts.location }) });
}

export function a4Receipt(facts: ReceiptFacts): ReceiptData {
  const { stored, applicant, service } = facts;
  const words = printWords(facts.locale);
  return {
    hallName: facts.hallName,
    title: words.caseTitle,
    number: stored.number,
    serviceName: facts.serviceName ?? service.name,
    applicantName: maskName(applicant.name),
    idNumber: maskIdNumber(applicant.idNumber),
    // The materials' names and notes in the citizen's language (the content's English where it has one).
    materials: guideInLocale(service, undefined, facts.locale ?? 'zh-CN').materials.map((material, index) => ({
      name: material.name,
      copies: material.copies,
      pages: facts.pageCounts.get(index) ?? 0,
      ...(facts.reused?.has(index) === true ? { note: material.note === undefined ? words.caseMaterialReused : `${words.caseMaterialReused} (${material.note})` } : material.note === undefined ? {} : { note: material.note }),
    })),
    date: new Date(stored.submittedAt),
    stages: facts.stages,
    currentStage: facts.stageName ?? stored.stage,
    queryUrl: facts.queryUrl,
    notes: [words.labelled(words.caseApplicantAddress, maskAddress(applicant.address)), ...notes(facts, words)],
    ...(facts.location === undefined ? {} : { location: facts.location }),
  };
}
