/**
 * Demo cards for the simulator, tests and the developer panel. All people are
 * fictional; ID numbers carry correct check characters except `badCheckDigit`.
 */
import { withCheckCharacter } from '../id-number.js';
import type { TextFields } from '../text-block.js';

export interface SimCard {
  fields: TextFields;
  /** Non-resident card-type letter at offset 248 (`I` = foreigner card), for refusal tests. */
  typeFlag?: string;
  /** Answer to `30 03`; absent = SW3 91 (no content). */
  appendedAddress?: string;
  /** 1024 opaque bytes; zeros when absent (as in the spec vector). */
  photo?: Buffer;
}

/** The spec §11 vector: 张三丰, born 1980-01-01. */
export const ZHANG_SANFENG: SimCard = {
  fields: {
    name: '张三丰',
    genderCode: '1',
    nationCode: '01',
    birthDate: '19800101',
    address: '湖南省浏阳市集里街道示例路1号',
    idNumber: '430181198001011239',
    issuingAuthority: '浏阳市公安局',
    validFrom: '20200101',
    validTo: '20400101',
  },
};

/** A citizen born 1950 (75+ in 2026) with a long-term card, for priority-queue tests. */
export const LI_XIUYING_1950: SimCard = {
  fields: {
    name: '李秀英',
    genderCode: '2',
    nationCode: '01',
    birthDate: '19500312',
    address: '湖南省浏阳市淮川街道示例巷8号',
    idNumber: withCheckCharacter('43018119500312002'),
    issuingAuthority: '浏阳市公安局',
    validFrom: '20100520',
    validTo: '长期',
  },
  appendedAddress: '湖南省浏阳市关口街道示例路18号',
};

/** Spec §10 Example B: born 2000-02-29 (leap day), 回族, male. */
export const EXAMPLE_B_2000: SimCard = {
  fields: {
    name: '马明远',
    genderCode: '1',
    nationCode: '03',
    birthDate: '20000229',
    address: '北京市东城区示例胡同2号',
    idNumber: '110101200002290018',
    issuingAuthority: '北京市公安局东城分局',
    validFrom: '20180301',
    validTo: '20280301',
  },
};

/** 张三丰 with the brief's original number 430181198001011234: wrong check digit, must be refused. */
export const BAD_CHECK_DIGIT: SimCard = {
  fields: { ...ZHANG_SANFENG.fields, idNumber: '430181198001011234' },
};

/** A foreigner permanent resident card layout (type flag `I`), must be refused. */
export const FOREIGNER_CARD: SimCard = {
  fields: { ...ZHANG_SANFENG.fields, name: 'SMITH JOHN', idNumber: '' },
  typeFlag: 'I',
};

export const DEMO_CARDS = {
  zhang: ZHANG_SANFENG,
  elder: LI_XIUYING_1950,
  exampleB: EXAMPLE_B_2000,
  badCheckDigit: BAD_CHECK_DIGIT,
  foreigner: FOREIGNER_CARD,
} as const;

export type DemoCardName = keyof typeof DEMO_CARDS;
