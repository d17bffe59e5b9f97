import { describe, expect, it } from 'vitest';
import { decodeReadBase } from './card.js';
import { idCheckCharacter, isValidIdNumber, withCheckCharacter } from './id-number.js';
import { buildReadPayload } from './payload.js';
import { BAD_CHECK_DIGIT, EXAMPLE_B_2000, FOREIGNER_CARD, LI_XIUYING_1950, ZHANG_SANFENG } from './sim/cards.js';
import { decodeTextBlock, encodeTextBlock } from './text-block.js';
import type { TextFields } from './text-block.js';
import { decodeGender, decodeNation, isExpired, parseCardDate, validateResidentCard } from './validate.js';
import type { CardProblemCode } from './validate.js';

const TODAY = '2026-11-24';

function problemsOf(fields: Partial<TextFields>, today = TODAY): CardProblemCode[] {
  const result = validateResidentCard({ ...ZHANG_SANFENG.fields, ...fields }, today);
  return result.ok ? [] : result.problems.map((p) => p.code);
}

describe('ID number check character (spec §10)', () => {
  it('computes Example A, Example B and the GB 11643 sample', () => {
    expect(idCheckCharacter('43018119800101123')).toBe('9');
    expect(idCheckCharacter('11010120000229001')).toBe('8');
    expect(idCheckCharacter('11010519491231002')).toBe('X');
  });

  it('accepts valid numbers and refuses wrong check characters, lowercase x and bad shapes', () => {
    expect(isValidIdNumber('430181198001011239')).toBe(true);
    expect(isValidIdNumber('110101200002290018')).toBe(true);
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('430181198001011234')).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber('43018119800101123')).toBe(false);
    expect(isValidIdNumber('4301811980010112390')).toBe(false);
    expect(() => withCheckCharacter('1234')).toThrow();
  });
});

describe('text block (spec §7)', () => {
  it('decodes every field of the spec vector', () => {
    const decoded = decodeTextBlock(encodeTextBlock(ZHANG_SANFENG.fields));
    expect(decoded).toEqual({ ok: true, fields: ZHANG_SANFENG.fields });
  });

  it('encodes 长期 as 7F 95 1F 67 followed by space padding', () => {
    const block = encodeTextBlock(LI_XIUYING_1950.fields);
    expect(block.subarray(204, 220).toString('hex')).toBe('7f951f67' + '2000'.repeat(6));
    const decoded = decodeTextBlock(block);
    expect(decoded.ok && decoded.fields.validTo).toBe('长期');
  });

  it('strips NUL padding as well as spaces', () => {
    const block = encodeTextBlock(ZHANG_SANFENG.fields);
    block.fill(0, 6, 30);
    const decoded = decodeTextBlock(block);
    expect(decoded.ok && decoded.fields.name).toBe('张三丰');
  });

  it('recognises a foreigner card by its type flag at offset 248 and refuses it', () => {
    const decoded = decodeTextBlock(encodeTextBlock(FOREIGNER_CARD.fields, 'I'));
    expect(decoded).toEqual({ ok: false, reason: 'not-resident-card', kind: 'foreign-permanent-resident', flag: 'I' });
    const other = decodeTextBlock(encodeTextBlock(ZHANG_SANFENG.fields, 'Q'));
    expect(other).toMatchObject({ ok: false, kind: 'unknown', flag: 'Q' });
  });

  it('refuses a text block shorter than the resident layout', () => {
    expect(decodeTextBlock(Buffer.alloc(200))).toEqual({ ok: false, reason: 'text-too-short', bytes: 200 });
  });
});

describe('gender and nation', () => {
  it('maps 1/2 and never defaults unknown codes to 女', () => {
    expect(decodeGender('1')).toEqual({ code: '1', label: 'male', labelZh: '男' });
    expect(decodeGender('2')).toEqual({ code: '2', label: 'female', labelZh: '女' });
    expect(decodeGender('0').label).toBe('unknown');
    expect(decodeGender('9').label).toBe('unknown');
    expect(decodeGender('7')).toEqual({ code: '7', label: 'unknown', labelZh: '未知' });
  });

  it('names the 56 nations plus 97/98 and keeps an unknown code raw', () => {
    expect(decodeNation('01')).toEqual({ code: '01', name: '汉' });
    expect(decodeNation('36').name).toBe('毛南');
    expect(decodeNation('56').name).toBe('基诺');
    expect(decodeNation('98').name).toBe('外国血统中国籍人士');
    expect(decodeNation('77')).toEqual({ code: '77', name: null });
  });
});

describe('validation', () => {
  it('accepts the demo cards', () => {
    for (const card of [ZHANG_SANFENG, LI_XIUYING_1950, EXAMPLE_B_2000]) {
      const result = validateResidentCard(card.fields, TODAY);
      expect(result.ok, card.fields.name).toBe(true);
    }
    const elder = validateResidentCard(LI_XIUYING_1950.fields, TODAY);
    expect(elder.ok && elder.record.validTo).toBe('long-term');
    expect(elder.ok && elder.record.birthDate).toBe('1950-03-12');
    const leap = validateResidentCard(EXAMPLE_B_2000.fields, TODAY);
    expect(leap.ok && leap.record.birthDate).toBe('2000-02-29');
    expect(leap.ok && leap.record.nation.name).toBe('回');
  });

  it('parses only real calendar dates', () => {
    expect(parseCardDate('19801340')).toBeUndefined();
    expect(parseCardDate('19800230')).toBeUndefined();
    expect(parseCardDate('19000229')).toBeUndefined();
    expect(parseCardDate('20000229')).toBe('2000-02-29');
    expect(parseCardDate('1980011')).toBeUndefined();
    expect(parseCardDate('18991231')).toBeUndefined();
  });

  it('refuses a wrong check digit with Chinese and English messages', () => {
    const result = validateResidentCard(BAD_CHECK_DIGIT.fields, TODAY);
    expect(result).toEqual({ ok: false, problems: [{ code: 'id-check-digit', messageZh: '公民身份号码校验位错误', message: 'ID number check digit is wrong' }] });
  });

  it('refuses impossible and inconsistent dates', () => {
    expect(problemsOf({ birthDate: '19801340' })).toEqual(['birth-date-invalid', 'birth-date-mismatch']);
    expect(problemsOf({ validFrom: '20400101', validTo: '20200101' })).toEqual(['validity-order']);
    expect(problemsOf({ validTo: '20201301' })).toEqual(['valid-to-invalid']);
    expect(problemsOf({ validFrom: '2020011' })).toEqual(['valid-from-invalid']);
    expect(problemsOf({ validFrom: '19700101' })).toEqual(['issued-before-birth']);
    expect(problemsOf({ birthDate: '19800102' })).toEqual(['birth-date-mismatch']);
  });

  it('refuses a birth date in the future even when the ID number agrees', () => {
    const future = withCheckCharacter('43018120300101123');
    expect(problemsOf({ idNumber: future, birthDate: '20300101', validFrom: '20300201', validTo: '20350201' })).toEqual(['birth-date-future']);
  });

  it('refuses a gender that disagrees with digit 17, but not an unknown gender code', () => {
    expect(problemsOf({ genderCode: '2' })).toEqual(['gender-mismatch']);
    expect(problemsOf({ genderCode: '9' })).toEqual([]);
  });

  it('refuses malformed ID numbers and missing names', () => {
    expect(problemsOf({ idNumber: '43018119800101123' })).toEqual(['id-format']);
    expect(problemsOf({ idNumber: '43018119800101123x' })).toEqual(['id-format']);
    expect(problemsOf({ name: '' })).toEqual(['name-missing']);
  });

  it('reports expiry without refusing, and never expires a long-term card', () => {
    const zhang = validateResidentCard(ZHANG_SANFENG.fields, TODAY);
    const elder = validateResidentCard(LI_XIUYING_1950.fields, TODAY);
    if (!zhang.ok || !elder.ok) throw new Error('demo cards must validate');
    expect(isExpired(zhang.record, TODAY)).toBe(false);
    expect(isExpired(zhang.record, '2040-01-02')).toBe(true);
    expect(isExpired(elder.record, '2999-01-01')).toBe(false);
  });
});

describe('decodeReadBase', () => {
  const payload = (fields: TextFields, flag = ''): Buffer => buildReadPayload([encodeTextBlock(fields, flag), Buffer.alloc(1024, 0x5a)]);

  it('returns the record only, never the photo', () => {
    const decoded = decodeReadBase(payload(ZHANG_SANFENG.fields), TODAY);
    expect(decoded.ok).toBe(true);
    expect(JSON.stringify(decoded)).not.toContain('photo');
    expect(Object.keys(decoded.ok ? decoded.record : {})).toEqual(['name', 'gender', 'nation', 'birthDate', 'address', 'idNumber', 'issuingAuthority', 'validFrom', 'validTo']);
  });

  it('refuses an invalid card with every problem listed in both languages', () => {
    const decoded = decodeReadBase(payload(BAD_CHECK_DIGIT.fields), TODAY);
    expect(decoded).toMatchObject({ ok: false, refusal: { code: 'invalid-card', messageZh: '身份证信息有误：公民身份号码校验位错误', message: 'Invalid ID card: ID number check digit is wrong' } });
  });

  it('refuses a foreigner card clearly', () => {
    const decoded = decodeReadBase(payload(FOREIGNER_CARD.fields, 'I'), TODAY);
    expect(decoded).toMatchObject({ ok: false, refusal: { code: 'not-resident-card', kind: 'foreign-permanent-resident', messageZh: '此证件为外国人永久居留身份证，本机仅支持居民身份证' } });
  });
});
