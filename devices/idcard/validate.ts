/**
 * Turns raw text fields into a typed resident-card record, refusing cards
 * whose data cannot be right (check digit, impossible dates, birth date or
 * gender disagreeing with the ID number). Every refusal carries a Chinese
 * message for the citizen and an English one for staff and logs. Pure.
 */
import { isValidIdNumber, ID_NUMBER_SHAPE } from './id-number.js';
import { NATIONS } from './nations.js';
import { LONG_TERM } from './text-block.js';
import type { TextFields } from './text-block.js';

export type GenderLabel = 'male' | 'female' | 'unknown';

export interface Gender {
  /** Raw GB/T 2261.1 code from the card. */
  code: string;
  label: GenderLabel;
  labelZh: string;
}

export interface Nation {
  /** Raw 2-digit GB 3304 code. */
  code: string;
  /** Name as printed on the card (without 族); null for a code outside the table — show the code then. */
  name: string | null;
}

/** A resident ID card that passed validation. Dates are ISO `YYYY-MM-DD`. No photo: see reader.ts. */
export interface IdCardRecord {
  name: string;
  gender: Gender;
  nation: Nation;
  birthDate: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  validFrom: string;
  validTo: string | 'long-term';
}

export type CardProblemCode =
  | 'name-missing'
  | 'id-format'
  | 'id-check-digit'
  | 'birth-date-invalid'
  | 'birth-date-future'
  | 'birth-date-mismatch'
  | 'gender-mismatch'
  | 'valid-from-invalid'
  | 'valid-to-invalid'
  | 'validity-order'
  | 'issued-before-birth';

export interface CardProblem {
  code: CardProblemCode;
  messageZh: string;
  message: string;
}

export type CardValidation = { ok: true; record: IdCardRecord } | { ok: false; problems: CardProblem[] };

const PROBLEM_TEXT: Readonly<Record<CardProblemCode, { zh: string; en: string }>> = {
  'name-missing': { zh: '证件姓名为空', en: 'The card has no name' },
  'id-format': { zh: '公民身份号码格式错误（应为17位数字加校验位）', en: 'ID number is not 17 digits plus a check character' },
  'id-check-digit': { zh: '公民身份号码校验位错误', en: 'ID number check digit is wrong' },
  'birth-date-invalid': { zh: '出生日期不是有效日期', en: 'Birth date is not a valid date' },
  'birth-date-future': { zh: '出生日期晚于今天', en: 'Birth date is in the future' },
  'birth-date-mismatch': { zh: '出生日期与公民身份号码不一致', en: 'Birth date disagrees with the ID number' },
  'gender-mismatch': { zh: '性别与公民身份号码不一致', en: 'Gender disagrees with the ID number' },
  'valid-from-invalid': { zh: '有效期起始日期不是有效日期', en: 'Valid-from is not a valid date' },
  'valid-to-invalid': { zh: '有效期截止日期不是有效日期', en: 'Valid-to is neither a valid date nor 长期' },
  'validity-order': { zh: '有效期截止日期早于起始日期', en: 'Valid-to is before valid-from' },
  'issued-before-birth': { zh: '有效期起始日期早于出生日期', en: 'Valid-from is before the birth date' },
};

export function cardProblem(code: CardProblemCode): CardProblem {
  const text = PROBLEM_TEXT[code];
  return { code, messageZh: text.zh, message: text.en };
}

const GENDERS: Readonly<Record<string, { label: GenderLabel; labelZh: string }>> = {
  '1': { label: 'male', labelZh: '男' },
  '2': { label: 'female', labelZh: '女' },
  '0': { label: 'unknown', labelZh: '未知的性别' },
  '9': { label: 'unknown', labelZh: '未说明的性别' },
};

/** Unknown codes are 'unknown', never silently 女 (spec §7). */
export function decodeGender(code: string): Gender {
  return { code, ...(GENDERS[code] ?? { label: 'unknown', labelZh: '未知' }) };
}

export function decodeNation(code: string): Nation {
  return { code, name: NATIONS.get(code) ?? null };
}

/** `YYYYMMDD` → `YYYY-MM-DD` when it is a real calendar date from 1900 on, else undefined. */
export function parseCardDate(value: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** Today's calendar date on this machine as `YYYY-MM-DD` (the kiosk runs on hall time). */
export function localIsoDate(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Validates raw fields against each other and today's date (`YYYY-MM-DD`).
 * All problems are collected, not just the first.
 */
export function validateResidentCard(fields: TextFields, today: string): CardValidation {
  const problems: CardProblemCode[] = [];
  if (fields.name === '') problems.push('name-missing');

  const idShapeOk = ID_NUMBER_SHAPE.test(fields.idNumber);
  if (!idShapeOk) problems.push('id-format');
  else if (!isValidIdNumber(fields.idNumber)) problems.push('id-check-digit');

  const birthDate = parseCardDate(fields.birthDate);
  if (birthDate === undefined) problems.push('birth-date-invalid');
  else if (birthDate > today) problems.push('birth-date-future');
  if (idShapeOk && fields.idNumber.slice(6, 14) !== fields.birthDate) problems.push('birth-date-mismatch');

  const gender = decodeGender(fields.genderCode);
  if (idShapeOk && gender.label !== 'unknown') {
    const idSaysMale = Number(fields.idNumber[16]) % 2 === 1;
    if (idSaysMale !== (gender.label === 'male')) problems.push('gender-mismatch');
  }

  const validFrom = parseCardDate(fields.validFrom);
  if (validFrom === undefined) problems.push('valid-from-invalid');
  const validTo = fields.validTo === LONG_TERM ? 'long-term' : parseCardDate(fields.validTo);
  if (validTo === undefined) problems.push('valid-to-invalid');
  if (validFrom !== undefined && validTo !== undefined && validTo !== 'long-term' && validTo <= validFrom) problems.push('validity-order');
  if (validFrom !== undefined && birthDate !== undefined && validFrom < birthDate) problems.push('issued-before-birth');

  if (problems.length > 0 || birthDate === undefined || validFrom === undefined || validTo === undefined) {
    return { ok: false, problems: problems.map(cardProblem) };
  }
  return {
    ok: true,
    record: {
      name: fields.name,
      gender,
      nation: decodeNation(fields.nationCode),
      birthDate,
      address: fields.address,
      idNumber: fields.idNumber,
      issuingAuthority: fields.issuingAuthority,
      validFrom,
      validTo,
    },
  };
}

/** Expired cards are reported, not refused: whether a service accepts one is the host's rule. */
export function isExpired(record: IdCardRecord, today: string): boolean {
  return record.validTo !== 'long-term' && record.validTo < today;
}
