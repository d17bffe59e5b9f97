/**
 * From a read-base response's Data to a validated record, or a refusal the
 * kiosk can show. Pure. The photo is split off here and goes no further.
 */
import { parseReadPayload } from './payload.js';
import { decodeTextBlock } from './text-block.js';
import type { NonResidentKind } from './text-block.js';
import { validateResidentCard } from './validate.js';
import type { CardProblem, IdCardRecord } from './validate.js';

export type CardRefusal =
  | { code: 'malformed-response'; message: string; messageZh: string }
  | { code: 'not-resident-card'; kind: NonResidentKind; message: string; messageZh: string }
  | { code: 'invalid-card'; problems: CardProblem[]; message: string; messageZh: string };

export type CardDecode = { ok: true; record: IdCardRecord } | { ok: false; refusal: CardRefusal };

const NON_RESIDENT_TEXT: Readonly<Record<NonResidentKind, { zh: string; en: string }>> = {
  'foreign-permanent-resident': { zh: '外国人永久居留身份证', en: 'foreign permanent resident ID card' },
  'foreign-permanent-resident-2023': { zh: '外国人永久居留身份证（2023版）', en: 'foreign permanent resident ID card (2023)' },
  'hk-macao-taiwan-residence-permit': { zh: '港澳台居民居住证', en: 'Hong Kong/Macao/Taiwan residence permit' },
  unknown: { zh: '非居民身份证', en: 'card that is not a resident ID card' },
};

/** `today` is `YYYY-MM-DD`. */
export function decodeReadBase(data: Buffer, today: string): CardDecode {
  const payload = parseReadPayload(data);
  if (!payload.ok) return malformed(payload.reason);
  const text = decodeTextBlock(payload.value.text);
  if (!text.ok) {
    if (text.reason === 'text-too-short') return malformed(`text block of ${text.bytes} bytes is too short`);
    const kind = NON_RESIDENT_TEXT[text.kind];
    return {
      ok: false,
      refusal: {
        code: 'not-resident-card',
        kind: text.kind,
        messageZh: `此证件为${kind.zh}，本机仅支持居民身份证`,
        message: `This is a ${kind.en}; this kiosk reads resident ID cards only`,
      },
    };
  }
  const validation = validateResidentCard(text.fields, today);
  if (!validation.ok) {
    return {
      ok: false,
      refusal: {
        code: 'invalid-card',
        problems: validation.problems,
        messageZh: `身份证信息有误：${validation.problems.map((p) => p.messageZh).join('；')}`,
        message: `Invalid ID card: ${validation.problems.map((p) => p.message).join('; ')}`,
      },
    };
  }
  return { ok: true, record: validation.record };
}

function malformed(reason: string): CardDecode {
  return { ok: false, refusal: { code: 'malformed-response', messageZh: '读卡数据不完整，请重新放置身份证', message: `Malformed read response: ${reason}` } };
}
