import { createHash, createHmac } from 'node:crypto';
import { FORM_LIMITS, userMessage, type CaseForm, type UserMessage } from '../../contract/index.js';

/**
 * Pure rules of self-service pre-applications: the pre-acceptance number,
 * form cleaning and checks, address masking, stage names, and the keyed
 * lookup hash of an ID number. No I/O.
 */
import { serviceDay } from '../../common/hall-time.js';

/** The hall's calendar day (Asia/Shanghai, UTC+8, no DST) as yyyymmdd. */
export function hallDay(at: Date): string {
  return serviceDay(at).replace(/-/g, '');
}

/**
 * The 4-digit terminal code inside pre-acceptance numbers. Halls assign it
 * (option `terminalCode`); without one it is the terminal id's trailing
 * number (kiosk-01 → 0001, the usual naming), else a 4-digit hash of the id.
 * Only an assigned code guarantees uniqueness across halls.
 */
export function terminalCode(terminalId: string): string {
  const trailing = /(\d{1,4})$/.exec(terminalId)?.[1];
  if (trailing !== undefined) return trailing.padStart(4, '0');
  return String(createHash('sha256').update(terminalId).digest().readUInt32BE(0) % 10_000).padStart(4, '0');
}

export const MAX_DAILY_SEQUENCE = 9_999;

/** Digits of the random check part: a number cannot be guessed from its neighbours (10,000 to one per try). */
export const CHECK_DIGITS = 4;

/**
 * The pre-acceptance number: `YS` + hall day as yymmdd (6) + terminal code (4)
 * + daily sequence (4) + random check part (4), 18 digits after YS, e.g.
 * `YS261125000100074821`. Date, terminal and sequence keep it unique; the
 * check part makes the next citizen's number unguessable from one's own.
 * Digits only after YS, so the keypad needs no letters; printed in groups
 * (`formatPreAcceptanceNumber`) so it can be read out and typed.
 */
export function preAcceptanceNumber(day: string, code: string, sequence: number, check: number): string {
  if (!/^\d{8}$/.test(day) || !/^\d{4}$/.test(code)) throw new Error(`bad number parts ${day}/${code}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_DAILY_SEQUENCE) throw new Error(`daily sequence ${sequence} out of range`);
  if (!Number.isInteger(check) || check < 0 || check >= 10 ** CHECK_DIGITS) throw new Error(`check part ${check} out of range`);
  return `YS${day.slice(2)}${code}${String(sequence).padStart(4, '0')}${String(check).padStart(CHECK_DIGITS, '0')}`;
}

/** YS261125000100074821 → YS 261125 0001 0007 4821 (for print and screen; the keypad ignores spaces). */
export function formatPreAcceptanceNumber(number: string): string {
  const digits = number.replace(/^YS/, '');
  return digits.length === 18 ? `YS ${digits.slice(0, 6)} ${digits.slice(6, 10)} ${digits.slice(10, 14)} ${digits.slice(14)}` : number;
}

/**
 * What a citizen typed (with or without YS, spaces, dashes, lower case) → the
 * canonical number, or null when it cannot be one. 18 digits; 16 digits are
 * numbers issued before the check part existed (still found, with the same
 * second factor).
 */
export function parsePreAcceptanceNumber(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  const digits = compact.startsWith('YS') ? compact.slice(2) : compact;
  return /^(\d{18}|\d{16})$/.test(digits) ? `YS${digits}` : null;
}

/** The last 4 digits of the phone the citizen gave: the second factor of an anonymous progress query. */
export function phoneLast4(phone: string): string {
  return phone.replace(/\D/g, '').slice(-4);
}

/** C0/C1 controls, DEL, bidi overrides, zero-width and other invisible format characters. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;

/** Cleans one free-text field: invisible characters removed, tabs/newlines → space unless `multiline`, trimmed. */
export function cleanField(value: string, multiline = false): string {
  const stripped = value.replace(INVISIBLE, '').replace(/\r\n?/g, '\n');
  const spaced = multiline ? stripped.replace(/\t/g, ' ').replace(/\n{3,}/g, '\n\n') : stripped.replace(/[\t\n]+/g, ' ');
  return spaced.replace(/[ \u3000]{2,}/g, ' ').trim();
}

/** The field that failed and what to tell the citizen. */
export type FieldProblem = { field: keyof CaseForm; say: UserMessage };

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/** Cleans the form and checks it; returns the cleaned form or the first problem. The phone is required at submit, not while typing. */
export function checkForm(raw: CaseForm): { ok: true; form: CaseForm } | { ok: false; problem: FieldProblem } {
  const form: CaseForm = {
    phone: cleanField(raw.phone).replace(/[\s()]/g, ''),
    mailingAddress: cleanField(raw.mailingAddress),
    remarks: cleanField(raw.remarks, true),
  };
  if (form.phone !== '' && (form.phone.length > FORM_LIMITS.phone || !(MOBILE.test(form.phone) || LANDLINE.test(form.phone)))) {
    return { ok: false, problem: { field: 'phone', say: userMessage('cases.phoneInvalid', {}) } };
  }
  if ([...form.mailingAddress].length > FORM_LIMITS.mailingAddress) return { ok: false, problem: { field: 'mailingAddress', say: userMessage('cases.fieldTooLong', { field: 'mailingAddress', max: FORM_LIMITS.mailingAddress }) } };
  if ([...form.remarks].length > FORM_LIMITS.remarks) return { ok: false, problem: { field: 'remarks', say: userMessage('cases.fieldTooLong', { field: 'remarks', max: FORM_LIMITS.remarks }) } };
  return { ok: true, form };
}

/** 湖南省长沙市岳麓区…… → 湖南省长沙市****: the first six characters (province and city) stay. */
export function maskAddress(address: string): string {
  const chars = [...cleanField(address)];
  if (chars.length <= 6) return chars.length === 0 ? '' : `${chars.slice(0, Math.max(1, chars.length - 2)).join('')}**`;
  return `${chars.slice(0, 6).join('')}****`;
}

/**
 * The keyed hash under which a case is found by its applicant's ID number:
 * HMAC-SHA256 with the terminal's lookup secret (itself sealed with the data
 * key), so the stored value reveals nothing without the key.
 */
export function applicantKey(secret: Buffer, idNumber: string): string {
  return createHmac('sha256', secret).update(idNumber.trim().toUpperCase()).digest('hex');
}

/** Platform status words → the content's stage names; the stage names themselves pass through. */
const STAGE_ALIASES: Readonly<Record<string, number>> = { applied: 0, submitted: 0, returned: 0, 'pre-accepted': 1, accepted: 1, reviewing: 2, review: 2, decided: 3, decision: 3, completed: 4, closed: 4, done: 4 };

export function stageOf(status: string, stages: readonly string[]): string | null {
  const trimmed = status.trim();
  if (stages.includes(trimmed)) return trimmed;
  const index = STAGE_ALIASES[trimmed.toLowerCase()];
  return index === undefined ? null : (stages[index] ?? null);
}

/** The process timeline: every stage in order with the first time the case reached it. */
export function stageTimeline(stages: readonly string[], history: readonly { stage: string; at: string }[], current: string): { stage: string; at: string | null; current: boolean }[] {
  return stages.map((stage) => {
    const reached = history.filter((entry) => entry.stage === stage).map((entry) => entry.at).sort()[0];
    return { stage, at: reached ?? null, current: stage === current };
  });
}
