import { FEEDBACK_LIMITS, userMessage, type FeedbackSubmission, type RatingReason, type UserMessage } from '../../contract/index.js';
import { cleanText } from '../docs/index.js';

/**
 * Rules for what a citizen leaves at the kiosk (pure): text is cleaned of
 * control and invisible characters before it is measured, a phone number
 * must look like a mainland mobile number, and a low rating (≤ 2 stars) must
 * say why. Problems come back as values naming the field, in Chinese and
 * English, for the screen to show.
 */
export type CleanFeedback =
  | { kind: 'consultation' | 'complaint'; category: string; text: string; phone?: string; serviceId?: string }
  | { kind: 'rating'; stars: number; reasons: RatingReason[]; text?: string; serviceId?: string; departmentId?: string };

export interface FeedbackProblem {
  field: 'text' | 'phone' | 'reasons';
  say: UserMessage;
}

export type FeedbackCheck = { ok: true; value: CleanFeedback } | { ok: false; problem: FeedbackProblem };

/** 11 digits, 1 then 3–9 (mainland mobile numbers); spaces and dashes people type are ignored, +86 / 0086 too. */
const MOBILE = /^1[3-9]\d{9}$/;

export function normalizePhone(raw: string): string | null {
  const compact = cleanText(raw).replace(/[\s-]/g, '');
  const local = compact.replace(/^(\+86|0086)/, '');
  return MOBILE.test(local) ? local : null;
}

function length(text: string): number {
  return Array.from(text).length;
}

function problem(field: FeedbackProblem['field'], say: UserMessage): FeedbackCheck {
  return { ok: false, problem: { field, say } };
}

export function checkFeedback(input: FeedbackSubmission): FeedbackCheck {
  if (input.kind === 'rating') {
    const text = cleanText(input.text ?? '');
    if (length(text) > FEEDBACK_LIMITS.ratingTextMax)
      return problem('text', userMessage('feedback.noteTooLong', { max: FEEDBACK_LIMITS.ratingTextMax }));
    const reasons = [...new Set(input.reasons)];
    if (input.stars <= FEEDBACK_LIMITS.lowRatingMax && reasons.length === 0)
      return problem('reasons', userMessage('feedback.reasonsRequired', {}));
    if (reasons.includes('other') && text === '') return problem('text', userMessage('feedback.otherNeedsText', {}));
    return {
      ok: true,
      value: {
        kind: 'rating',
        stars: input.stars,
        reasons,
        ...(text !== '' ? { text } : {}),
        ...(input.serviceId !== undefined ? { serviceId: input.serviceId } : {}),
        ...(input.departmentId !== undefined ? { departmentId: input.departmentId } : {}),
      },
    };
  }
  const text = cleanText(input.text);
  if (length(text) < FEEDBACK_LIMITS.textMin) return problem('text', userMessage('feedback.textTooShort', { min: FEEDBACK_LIMITS.textMin }));
  if (length(text) > FEEDBACK_LIMITS.textMax) return problem('text', userMessage('feedback.textTooLong', { max: FEEDBACK_LIMITS.textMax }));
  let phone: string | undefined;
  if (input.phone !== undefined && cleanText(input.phone) !== '') {
    const normalized = normalizePhone(input.phone);
    if (normalized === null) return problem('phone', userMessage('feedback.phoneInvalid', {}));
    phone = normalized;
  }
  return {
    ok: true,
    value: {
      kind: input.kind,
      category: input.category,
      text,
      ...(phone !== undefined ? { phone } : {}),
      ...(input.serviceId !== undefined ? { serviceId: input.serviceId } : {}),
    },
  };
}
