import { describe, expect, it } from 'vitest';
import { MIN_CLAUSE_SCORING_CHARS, poolClauses, readableClauses, splitClauses } from './clauses.js';
import { normalizeText } from './text.js';

describe('splitClauses', () => {
  it('splits on full- and half-width punctuation and on spaces between Han characters, not inside English', () => {
    expect(splitClauses('上个礼拜包被偷了，身份证也在里面。现在要补办！')).toEqual(['上个礼拜包被偷了', '身份证也在里面', '现在要补办']);
    expect(splitClauses('我包丢了 身份证也没了')).toEqual(['我包丢了', '身份证也没了']);
    expect(splitClauses('where is the toilet')).toEqual(['where is the toilet']);
  });
});

describe('readableClauses', () => {
  it('reads short questions whole, long ones by their clauses of 3 characters or more', () => {
    expect(readableClauses('身份证丢了，怎么办', normalizeText)).toEqual([]);
    const long = '我上个礼拜回老家坐了六个小时的大巴，下车的时候包被人顺走了，嗯，身份证也在里面要补办';
    expect(normalizeText(long).length).toBeGreaterThanOrEqual(MIN_CLAUSE_SCORING_CHARS);
    expect(readableClauses(long, normalizeText)).toEqual(['我上个礼拜回老家坐了六个小时的大巴', '下车的时候包被人顺走了', '身份证也在里面要补办']);
  });
});

describe('poolClauses', () => {
  const OOS_INDEX = 2;
  it('keeps the whole question when no clause is more confident about an in-scope intent', () => {
    const whole = Float64Array.from([0.7, 0.2, 0.1]);
    expect(poolClauses(whole, [Float64Array.from([0.5, 0.1, 0.4])], OOS_INDEX)).toBe(whole);
    // A clause that is only surer the question is out of scope does not lead.
    expect(poolClauses(whole, [Float64Array.from([0.05, 0.05, 0.9])], OOS_INDEX)).toBe(whole);
  });

  it('lets the most confident clause lead, averaged with the whole question', () => {
    const whole = Float64Array.from([0.3, 0.3, 0.4]);
    const pooled = poolClauses(whole, [Float64Array.from([0.1, 0.6, 0.3]), Float64Array.from([0.9, 0.05, 0.05])], OOS_INDEX);
    expect(Array.from(pooled).map((p) => Math.round(p * 1000) / 1000)).toEqual([0.6, 0.175, 0.225]);
    expect(pooled.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});
