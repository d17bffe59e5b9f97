import { z } from 'zod';
import { UserMessage } from './messages.js';
import { method, noParams, ok } from './define.js';

/**
 * Self-service pre-applications (自助预申请): choose a service, check the
 * identity prefilled from the ID card (masked here — the full values never
 * leave the host), fill in contact fields, scan each material, submit, print
 * the receipt; then progress queries and result printing. Params are bounded
 * here; the host cleans free text (control characters) and checks the rest,
 * answering `bad_request` with `details.field` naming what to fix.
 */
const serviceId = z.string().min(1).max(100);
const pageId = z.string().min(1).max(64);
const caseId = z.string().min(1).max(64);

export const MaterialItem = z.object({
  /** Position in the service guide's materials list: the key for scans. */
  index: z.number().int().nonnegative(),
  name: z.string(),
  required: z.boolean(),
  copies: z.number().int().nonnegative(),
  original: z.boolean(),
  note: z.string().nullable(),
});
export type MaterialItem = z.infer<typeof MaterialItem>;

export const SelfServiceItem = z.object({
  id: z.string(),
  name: z.string(),
  department: z.string(),
  promisedDays: z.number().int().nullable(),
  fee: z.string(),
  materials: z.array(MaterialItem),
});
export type SelfServiceItem = z.infer<typeof SelfServiceItem>;

/** Scanned page as the UI shows it: a JPEG preview of at most 600 px as a data: URL. */
export const PageView = z.object({
  pageId: z.string(),
  materialIndex: z.number().int().nonnegative(),
  preview: z.string().startsWith('data:image/jpeg;base64,'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type PageView = z.infer<typeof PageView>;

/** The contact fields the citizen fills in. Limits here stop absurd input; the host cleans and checks the rest. */
export const CaseForm = z.object({
  /** Mobile (11 digits) or landline for the result notice. */
  phone: z.string().max(40),
  /** 送达地址: where the result is mailed; empty = collect at the window. */
  mailingAddress: z.string().max(200),
  remarks: z.string().max(500),
});
export type CaseForm = z.infer<typeof CaseForm>;

export const FORM_LIMITS = { phone: 20, mailingAddress: 200, remarks: 500 } as const;

/** 一号: a material of this draft taken from one the citizen submitted before (by its platform id), instead of a scan. */
export const ReusedMaterialView = z.object({
  materialIndex: z.number().int().nonnegative(),
  materialId: z.string(),
  name: z.string(),
  submittedAt: z.string(),
});
export type ReusedMaterialView = z.infer<typeof ReusedMaterialView>;

export const DraftView = z.object({
  draftId: z.string(),
  service: SelfServiceItem,
  /** From the ID card, masked: 张*丰, 430181********1239, 湖南省长沙市**** */
  applicant: z.object({ maskedName: z.string(), maskedIdNumber: z.string(), maskedAddress: z.string() }),
  form: CaseForm,
  pages: z.array(PageView),
  /** Required materials that have no page yet (a reused material counts as given). */
  missing: z.array(z.number().int().nonnegative()),
  /** Materials reused instead of scanned (一号). */
  reused: z.array(ReusedMaterialView),
  /** When she agreed to reuse her earlier materials in this draft (ISO), or null: reuse needs it first. */
  reuseConsentAt: z.string().nullable(),
});
export type DraftView = z.infer<typeof DraftView>;

/** A material she submitted before that fits one of this draft's materials (same name, still valid): names and dates, never images. */
export const ReuseOffer = z.object({
  materialIndex: z.number().int().nonnegative(),
  materialId: z.string(),
  name: z.string(),
  submittedAt: z.string(),
  validUntil: z.string(),
  pages: z.number().int().nonnegative(),
});
export type ReuseOffer = z.infer<typeof ReuseOffer>;

/**
 * The answer to "which of my earlier materials can this draft reuse":
 * `ok` with the offers (maybe none); `off` when the terminal has no platform
 * or no citizen-key secret (nothing to say, she scans); `unavailable` when the
 * platform did not answer in time (`say` tells her to scan).
 */
export const ReuseOffers = z.object({
  availability: z.enum(['ok', 'off', 'unavailable']),
  offers: z.array(ReuseOffer),
  say: UserMessage.optional(),
});
export type ReuseOffers = z.infer<typeof ReuseOffers>;

export const SubmittedCase = z.object({
  /**
   * YS + hall day yymmdd (6) + terminal code (4) + daily sequence (4) + random
   * check part (4), e.g. YS261125000100074821: unguessable from a neighbour's.
   */
  preAcceptanceNumber: z.string(),
  caseId: z.string(),
  stage: z.string(),
});
export type SubmittedCase = z.infer<typeof SubmittedCase>;

/** Where a printout went: the receipt printer, a CUPS queue, or a saved PDF (staff print it later). */
export const PrintOutcomeView = z.object({
  kind: z.enum(['printed', 'saved', 'failed']),
  /** What the citizen is told (print.slipPrinted, print.saved {pickup}, print.failed {reason}…). */
  say: UserMessage,
  /** Saved PDF path: for staff and logs, never shown to the citizen. */
  path: z.string().optional(),
  /** `saved`: where the citizen collects the printout (the hall's documentPickup). */
  pickup: z.string().optional(),
});
export type PrintOutcomeView = z.infer<typeof PrintOutcomeView>;

export const CaseStageView = z.object({ stage: z.string(), at: z.string().nullable(), current: z.boolean() });

export const CaseView = z.object({
  caseId: z.string(),
  preAcceptanceNumber: z.string(),
  serviceName: z.string(),
  department: z.string(),
  stage: z.string(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  maskedName: z.string(),
  /** Every stage of the process in order, with the date it was reached. */
  stages: z.array(CaseStageView),
  hasResult: z.boolean(),
});
export type CaseView = z.infer<typeof CaseView>;

/** Pre-acceptance numbers are typed on a keypad: YS is optional, spaces and dashes ignored by the host. */
export const PreAcceptanceNumberInput = z.string().min(1).max(40);

/** The last 4 digits of the phone number given in the application: the second factor of an anonymous query. */
export const PhoneLast4 = z.string().regex(/^\d{4}$/, '4 digits');

export const CaseQuery = z
  .object({
    number: PreAcceptanceNumberInput,
    /** Needed unless the logged-in citizen (ID card) is the applicant. */
    phoneLast4: PhoneLast4.optional(),
  })
  .strict();

export const casesApi = {
  /** The services that can be pre-applied for at the terminal, with their materials checklists. */
  'cases.services': method(noParams, z.array(SelfServiceItem)),
  /** Starts (or restarts) the session's draft; refused without a citizen (ID card) session. */
  'cases.startDraft': method(z.object({ serviceId }).strict(), DraftView),
  /** The session's current draft, or null. */
  'cases.draft': method(noParams, DraftView.nullable()),
  'cases.updateForm': method(CaseForm.strict(), DraftView),
  /** Scans one page for a material (progress on `cases.scanProgress`); `replacePageId` rescans that page in place. */
  'cases.scanPage': method(z.object({ materialIndex: z.number().int().nonnegative().max(99), replacePageId: pageId.optional() }).strict(), PageView),
  'cases.cancelScan': method(noParams, ok),
  'cases.deletePage': method(z.object({ pageId }).strict(), DraftView),
  /** 一号: her earlier materials that fit this draft, asked of the platform by the keyed hash of her ID number (short timeout). */
  'cases.reusableMaterials': method(noParams, ReuseOffers),
  /** Her explicit consent (or its withdrawal, which also drops every reuse) before any earlier material is reused. */
  'cases.consentReuse': method(z.object({ consent: z.boolean() }).strict(), DraftView),
  /** Uses an offered earlier material for `materialIndex` instead of scanning (its scans are dropped); refused without consent or for an id not offered to her. */
  'cases.reuseMaterial': method(z.object({ materialIndex: z.number().int().nonnegative().max(99), materialId: z.string().min(3).max(200) }).strict(), DraftView),
  /** Goes back to scanning for `materialIndex`. */
  'cases.stopReuse': method(z.object({ materialIndex: z.number().int().nonnegative().max(99) }).strict(), DraftView),
  /** Submits the draft: one transaction with its outbox row; the draft is gone afterwards. */
  'cases.submit': method(noParams, SubmittedCase),
  /** `slip` = receipt printer; `a4` = A4 PDF to the document printer (or saved when there is none). Only for cases submitted in this session. */
  'cases.printReceipt': method(z.object({ caseId, format: z.enum(['slip', 'a4']) }).strict(), PrintOutcomeView),
  /**
   * Progress by number. The logged-in applicant needs nothing more; anyone
   * else gives `phoneLast4`, or gets `refused` (`details.reason =
   * 'second-factor'`) whether or not the number exists. A wrong number and
   * wrong digits both answer `not_found` (`reason: 'no-match'`); too many of
   * those on this terminal answer `refused` (`reason: 'rate-limited'`,
   * `retryAfterSeconds`). Every attempt is logged with the number masked.
   */
  'cases.query': method(CaseQuery, CaseView),
  /** The logged-in citizen's cases (matched by a keyed hash of the ID number). */
  'cases.mine': method(noParams, z.array(CaseView)),
  /** Prints the case's result document; only for the logged-in citizen's own case. */
  'cases.printResult': method(z.object({ caseId }).strict(), PrintOutcomeView),
};

export const casesEvents = {
  'cases.scanProgress': z.object({ materialIndex: z.number().int().nonnegative(), percent: z.number().min(0).max(100) }),
};
