import { z } from 'zod';
import { UserMessage } from './messages.js';
import { method, noParams } from './define.js';
import { QueueTicketLink } from './queue.js';

/**
 * The service guide (办事指南: browse, search, the six core elements, print)
 * and the citizen's voice (咨询, 投诉, 好差评). Feedback params are only
 * bounded here; the host cleans and checks them and answers `bad_request`
 * with `details.field` naming what to fix.
 */
const serviceId = z.string().min(1).max(100);

export const Audience = z.enum(['个人', '企业', 'both']);

/** One service in a list: enough to show a row and where to go. */
export const ServiceSummary = z.object({
  id: z.string(),
  name: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  audience: z.string(),
  lifeEvents: z.array(z.string()),
  /** 全程网办 | 网上预审 | 窗口办理 */
  online: z.string(),
  selfService: z.boolean(),
  floor: z.number().int(),
  windows: z.array(z.string()),
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;

/** The browse facets with how many services each holds. */
export const GuideCatalog = z.object({
  departments: z.array(z.object({ id: z.string(), name: z.string(), floor: z.number().int(), serviceCount: z.number().int() })),
  /** `name`: the content's tag (what a lifeEvent filter names); `label`: what the citizen reads, in her language. */
  lifeEvents: z.array(z.object({ name: z.string(), label: z.string(), serviceCount: z.number().int() })),
  audiences: z.array(z.object({ audience: Audience, serviceCount: z.number().int() })),
});
export type GuideCatalog = z.infer<typeof GuideCatalog>;

/** One browse filter at a time: a department, a life event, or an audience (个人/企业 include services for both). */
export const GuideFilter = z.discriminatedUnion('by', [
  z.object({ by: z.literal('department'), departmentId: z.string().min(1).max(100) }).strict(),
  z.object({ by: z.literal('lifeEvent'), lifeEvent: z.string().min(1).max(50) }).strict(),
  z.object({ by: z.literal('audience'), audience: Audience }).strict(),
]);
export type GuideFilter = z.infer<typeof GuideFilter>;

export const GuideSearchHit = z.object({
  service: ServiceSummary,
  /** The text that matched: the service name, one of its keywords, or its department. */
  matched: z.string(),
  matchedBy: z.enum(['name', 'keyword', 'department']),
});
export type GuideSearchHit = z.infer<typeof GuideSearchHit>;

/** The guide's sections with long texts, in screen order: what the "shown in Chinese" notice can name. */
export const GUIDE_SECTIONS = ['basis', 'conditions', 'materials', 'steps', 'agency', 'fee', 'timeLimit', 'windowNotes'] as const;
export const GuideSection = z.enum(GUIDE_SECTIONS);
export type GuideSection = z.infer<typeof GuideSection>;

export const GuideMaterial = z.object({ name: z.string(), copies: z.number().int(), original: z.boolean(), required: z.boolean(), note: z.string().optional() });

/** A service's full guide: the six core elements (依据, 条件, 材料, 流程, 机构, 收费) and where, how long, online. */
export const ServiceGuide = z.object({
  service: ServiceSummary,
  departmentFullName: z.string(),
  basis: z.string(),
  conditions: z.array(z.string()),
  materials: z.array(GuideMaterial),
  steps: z.array(z.object({ stage: z.string(), description: z.string() })),
  agency: z.string(),
  fee: z.string(),
  timeLimit: z.object({
    statutoryDays: z.number().int().nullable(),
    promisedDays: z.number().int(),
    /** 当场办结 / 15个工作日 */
    promisedText: z.string(),
    note: z.string().optional(),
  }),
  /** 2楼 公安局 53、54号窗口 */
  location: z.string(),
  windowNotes: z.array(z.object({ window: z.string(), note: z.string() })),
  onlineUrlHint: z.string().nullable(),
  related: z.array(ServiceSummary),
  /**
   * In English: the sections where some text has no English in the content
   * and is shown in Chinese (the screen says so beside each). Empty in
   * Chinese, and in English when every text has its English.
   */
  chineseOnly: z.array(GuideSection),
});
export type ServiceGuide = z.infer<typeof ServiceGuide>;

export const GuidePrintForm = z.enum(['receipt', 'a4']);
export type GuidePrintForm = z.infer<typeof GuidePrintForm>;

/**
 * Where a printed guide went. `saved` = an A4 PDF written to `path` because no
 * A4 printer took it; the citizen is told `pickup` (the hall's documentPickup,
 * "1号咨询台"), never the path (for staff and logs).
 */
export const GuidePrintOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('printed'), form: GuidePrintForm, printer: z.string(), warning: UserMessage.optional() }),
  z.object({ kind: z.literal('saved'), form: z.literal('a4'), path: z.string(), reason: z.string(), pickup: z.string() }),
  z.object({ kind: z.literal('failed'), form: GuidePrintForm, say: UserMessage }),
]);
export type GuidePrintOutcome = z.infer<typeof GuidePrintOutcome>;

/** Feedback vocabularies: stable ids on the wire, labels in the renderer's i18n. */
export const CONSULTATION_CATEGORIES = ['service-guide', 'materials', 'progress', 'policy', 'other'] as const;
export const COMPLAINT_CATEGORIES = ['attitude', 'efficiency', 'environment', 'charges', 'system', 'other'] as const;
export const RATING_REASONS = ['long-wait', 'staff-attitude', 'unclear-materials', 'system-failure', 'repeat-visits', 'other'] as const;
export const ConsultationCategory = z.enum(CONSULTATION_CATEGORIES);
export const ComplaintCategory = z.enum(COMPLAINT_CATEGORIES);
export const RatingReason = z.enum(RATING_REASONS);
export type RatingReason = z.infer<typeof RatingReason>;

/** Limits the host enforces after cleaning (characters, not bytes). */
export const FEEDBACK_LIMITS = { textMin: 5, textMax: 500, ratingTextMax: 200, lowRatingMax: 2 } as const;

/** Generous transport bounds; the exact rules are the host's (FEEDBACK_LIMITS). */
const rawText = z.string().max(4000);
const rawPhone = z.string().max(40);

export const FeedbackSubmission = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('consultation'), category: ConsultationCategory, text: rawText, phone: rawPhone.optional(), serviceId: serviceId.optional() }).strict(),
  z.object({ kind: z.literal('complaint'), category: ComplaintCategory, text: rawText, phone: rawPhone.optional(), serviceId: serviceId.optional() }).strict(),
  z
    .object({
      kind: z.literal('rating'),
      stars: z.number().int().min(1).max(5),
      reasons: z.array(RatingReason).max(RATING_REASONS.length),
      text: rawText.optional(),
      serviceId: serviceId.optional(),
      departmentId: z.string().min(1).max(100).optional(),
    })
    .strict(),
]);
export type FeedbackSubmission = z.infer<typeof FeedbackSubmission>;

export const FeedbackReceipt = z.object({ id: z.string(), kind: z.enum(['consultation', 'complaint', 'rating']), receivedAt: z.string() });
export type FeedbackReceipt = z.infer<typeof FeedbackReceipt>;

/** A consultation or complaint the logged-in citizen left at this kiosk, with the staff answer once it has come. */
export const MyFeedback = z.object({
  id: z.string(),
  kind: z.enum(['consultation', 'complaint']),
  category: z.string(),
  text: z.string(),
  receivedAt: z.string(),
  reply: z.object({ text: z.string(), answeredAt: z.string() }).nullable(),
});
export type MyFeedback = z.infer<typeof MyFeedback>;

/**
 * The slip after a consultation or complaint: `qr` = it carries the QR to her
 * phone page on the platform (only when the kiosk knows the platform's public
 * URL, see `feedback.slipLink`); `message` = the printer's words when it failed.
 */
export const FeedbackSlipOutcome = z.object({ kind: z.enum(['printed', 'failed']), qr: z.boolean(), say: UserMessage.optional(), warning: UserMessage.optional() });
export type FeedbackSlipOutcome = z.infer<typeof FeedbackSlipOutcome>;

export const guideApi = {
  'guide.catalog': method(noParams, GuideCatalog),
  'guide.list': method(z.object({ filter: GuideFilter }).strict(), z.array(ServiceSummary)),
  /** Name, keyword, Chinese substring, full pinyin or initials ("sfz"). */
  'guide.search': method(z.object({ query: z.string().max(60), limit: z.number().int().min(1).max(50).optional() }).strict(), z.array(GuideSearchHit)),
  'guide.detail': method(z.object({ serviceId }).strict(), ServiceGuide),
  /** Receipt printer (short form) or A4 PDF (printed, or saved under <dataDir>/documents). Never throws for a printer problem: the outcome says. */
  'guide.print': method(z.object({ serviceId, form: GuidePrintForm }).strict(), GuidePrintOutcome),
  'feedback.submit': method(FeedbackSubmission, FeedbackReceipt),
  /** The citizen's own consultations and complaints (ID-card session), newest first; refused without a card. */
  'feedback.mine': method(noParams, z.array(MyFeedback)),
  /** Prints the slip of a consultation or complaint submitted in this visit, with the QR to its phone page when there is a public URL. */
  'feedback.printSlip': method(z.object({ id: z.string().min(1).max(64) }).strict(), FeedbackSlipOutcome),
  /** Where the slip QR points (`platform.publicUrl`), or why slips carry none: for the staff screen. */
  'feedback.slipLink': method(noParams, QueueTicketLink),
};
export const guideEvents = {};
