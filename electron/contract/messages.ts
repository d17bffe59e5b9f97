import { z } from 'zod';
import { PrinterFault, deviceReasonParams, type DeviceReasonCode } from '../common/device-reasons.js';

/**
 * What the host says to the citizen, declared once: a code and its
 * parameters. The renderer translates them (renderer/src/i18n/<lang>/messages.json,
 * one key per code, zh-CN and en); the host never sends sentences. Content
 * names in parameters (a category, a material) come already in the
 * citizen's language. Host logs keep their own English text.
 */
const none = z.object({}).strict();
const text = z.string().max(500);
/** An instant as ISO 8601 (UTC); the renderer shows it in hall time. */
const instant = z.string().max(40);

/** Why a printout did not come out: the receipt printer's own reasons (devices/printer PrintFailureReason), or `no_printer`. */
const printFailure = z.enum([...PrinterFault.options, 'no_printer']).or(z.string().max(40));

export const messageParams = {
  // The terminal's own storage (a full disk: nothing new can be saved).
  'storage.full': none,
  // The terminal's voice.
  'speech.unavailable': none,
  // The ID-card reader (card.notice).
  'card.reading': none,
  'card.read': none,
  'card.expired': none,
  'card.busy': none,
  'card.failed': none,
  'card.notResident': none,
  'card.invalid': none,
  'card.removed': none,
  'card.unavailable': none,
  'card.outOfService': none,
  // The consultation slip (feedback.printSlip).
  'feedback.slipOtherSession': none,
  // Self-service applications (cases.*).
  'cases.cardRequired': none,
  'cases.noDraft': none,
  'cases.serviceWithdrawn': none,
  'cases.incomplete': none,
  'cases.notSelfService': none,
  'cases.noScanner': none,
  'cases.noPage': none,
  'cases.noSuchMaterial': none,
  'cases.pageGone': none,
  'cases.tooManyPages': z.object({ max: z.number().int() }).strict(),
  'cases.tooManyPagesPerMaterial': z.object({ max: z.number().int() }).strict(),
  'cases.sessionEnded': none,
  'cases.fieldTooLong': z.object({ field: z.enum(['mailingAddress', 'remarks']), max: z.number().int() }).strict(),
  'cases.phoneInvalid': none,
  'cases.phoneRequired': none,
  'cases.materialsMissing': z.object({ materials: text }).strict(),
  'cases.receiptOtherSession': none,
  'cases.notFound': none,
  'cases.badNumber': none,
  'cases.unknownNumber': z.object({ number: z.string().max(40) }).strict(),
  'cases.needPhone': none,
  'cases.noMatch': none,
  'cases.rateLimited': z.object({ minutes: z.number().int().positive() }).strict(),
  'cases.notYours': none,
  'cases.noResult': none,
  // 一号: reusing a material submitted before.
  'cases.reuseUnavailable': none,
  'cases.reuseConsentRequired': none,
  'cases.reuseNotOffered': none,
  // The scanner and the images it returns (devices/scanner error codes).
  'scan.no-scanner': none,
  'scan.cover-open': none,
  'scan.jammed': none,
  'scan.no-documents': none,
  'scan.busy': none,
  'scan.io-error': none,
  'scan.access-denied': none,
  'scan.invalid-options': none,
  'scan.timeout': none,
  'scan.cancelled': none,
  'image.too-large': none,
  'image.unreadable': none,
  // The hall queue (queue.*, and the hall service's refusals as the kiosk relays them).
  'queue.notStarted': none,
  'queue.unknownService': none,
  'queue.unknownCategory': none,
  'queue.closed': z.object({ reason: z.enum(['before-opening', 'after-cutoff', 'holiday', 'category-closed-today', 'closed-day', 'lunch-break', 'after-hours']).or(z.string().max(40)), category: text, nextOpening: instant.nullable() }).strict(),
  'queue.numbersExhausted': z.object({ category: text }).strict(),
  'queue.priorityNeedsStaff': none,
  'queue.priorityNeedsAppointment': none,
  'queue.notFound': none,
  'queue.unreachable': none,
  'queue.offlineExhausted': none,
  'queue.internal': none,
  'queue.notPrinted': z.object({ reason: printFailure }).strict(),
  // Printing (receipt slips and A4 documents): the outcome the citizen is told.
  'print.slipPrinted': none,
  'print.sentToPrinter': none,
  'print.saved': z.object({ pickup: text }).strict(),
  'print.failed': z.object({ reason: printFailure }).strict(),
  'print.paperNearEnd': none,
  'print.noReceiptPrinter': none,
  'print.noReceiptPrinterUseA4': none,
  'print.documentFailed': none,
  // The guide and feedback.
  'guide.unknownService': none,
  'guide.unknownDepartment': none,
  'feedback.noteTooLong': z.object({ max: z.number().int() }).strict(),
  'feedback.reasonsRequired': none,
  'feedback.otherNeedsText': none,
  'feedback.textTooShort': z.object({ min: z.number().int() }).strict(),
  'feedback.textTooLong': z.object({ max: z.number().int() }).strict(),
  'feedback.phoneInvalid': none,
  'feedback.cardRequired': none,
  // Device status for the staff screen (DeviceStatus.reason): declared in electron/common/device-reasons.ts, where the drivers build them.
  ...deviceReasonParams,
} as const satisfies Record<string, z.ZodType>;

export type MessageCode = keyof typeof messageParams;
export const messageCodes = Object.keys(messageParams) as [MessageCode, ...MessageCode[]];
export const MessageCode = z.enum(messageCodes);
export type MessageParamsOf<C extends MessageCode> = z.input<(typeof messageParams)[C]>;

/** A message on the wire with one of `codes`: the code and its parameters, checked against the code's schema. */
function codedMessage<C extends MessageCode>(codes: readonly [C, ...C[]]) {
  return z
    .object({ code: z.enum(codes), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) })
    .superRefine((message, issues) => {
      const checked = messageParams[message.code].safeParse(message.params);
      if (!checked.success) issues.addIssue({ code: 'custom', message: `params of ${message.code}: ${checked.error.message}` });
    });
}

/** A message on the wire: the code and its parameters, checked against the code's schema. */
export const UserMessage = codedMessage(messageCodes);
export type UserMessage = { code: MessageCode; params: Record<string, string | number | boolean | null> };

/** A device status's reason (electron/common/device-reasons.ts): a message with a `device.*` code. */
export const DeviceReasonMessage = codedMessage(Object.keys(deviceReasonParams) as [DeviceReasonCode, ...DeviceReasonCode[]]);

/** Builds a message, typed by its code (and checked: a wrong parameter is a programming error, thrown at once). */
export function userMessage<C extends MessageCode>(code: C, params: MessageParamsOf<C>): UserMessage {
  const parsed = messageParams[code].parse(params) as Record<string, string | number | boolean | null>;
  return { code, params: parsed };
}

export function isUserMessage(value: unknown): value is UserMessage {
  return UserMessage.safeParse(value).success;
}
