import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import { answerFor, composeClarifyAnswer, composeOutOfScopeAnswer, composeUnsureAnswer } from './answers.js';
import type { IntentResult } from './classifier.js';
import { applyRules, clarifyBetween, fragmentCandidates, fragmentIndex, listedFragmentCandidates, intentScopeTerms, scopeMatches, siblingIntents, type DecisionRules } from './scope.js';

const content = loadContent(join(import.meta.dirname, '../../../content/hall'));
const scope = content.intents.scope;
const siblings = siblingIntents(content);

const result = (top3: [string, number][], unsure = false): IntentResult => ({
  intentId: top3[0]?.[0] ?? 'oos',
  confidence: top3[0]?.[1] ?? 0,
  unsure,
  top3: top3.map(([intentId, confidence]) => ({ intentId, confidence })),
  source: 'model',
});

describe('scope list (intents.json scope)', () => {
  it('finds the key object a question names, longest term first, one match per topic', () => {
    expect(scopeMatches(scope, '我的存折丢了怎么挂失')).toEqual([{ topicId: 'bank', term: '存折' }]);
    expect(scopeMatches(scope, '信用卡还款逾期了')[0]).toEqual({ topicId: 'bank', term: '信用卡还款' });
    expect(scopeMatches(scope, 'How do I apply for a US VISA?')).toEqual([{ topicId: 'foreign-visa', term: 'visa' }]);
    expect(scopeMatches(scope, '身份证丢了怎么办')).toEqual([]);
    expect(scopeMatches(undefined, '存折')).toEqual([]);
  });

  it('records, per intent, the scope terms its training texts name', () => {
    const terms = intentScopeTerms(scope, [
      { text: '社保卡的银行账户怎么激活', label: 'svc:hr-sscard-apply' },
      { text: '银行卡丢了', label: 'oos' },
      { text: '身份证丢了', label: 'svc:ps-idcard-reissue' },
    ]);
    expect(terms).toEqual({ 'svc:hr-sscard-apply': ['银行账户'] });
  });
});

describe('decline with referral', () => {
  const rules: DecisionRules = { scope, allowedTerms: { 'svc:hr-sscard-apply': ['银行账户'] }, siblings };

  it('declines a question about a bank passbook that the model matched to the social-security card, naming the bank', () => {
    const decision = applyRules('我的存折丢了怎么挂失', result([['svc:hr-sscard-replace', 0.92]]), rules);
    expect(decision).toMatchObject({ intentId: 'oos', declineTopic: 'bank', keyObject: '存折', unsure: false });
    const answer = answerFor(content, decision);
    expect(answer.kind).toBe('out-of-scope');
    expect(answer.declineTopic).toBe('bank');
    expect(answer.text).toContain('本大厅办理不了');
    expect(answer.text).toContain('联系发卡银行');
    expect(answer.text).toContain('银行客服电话');
  });

  it('keeps an answer whose intent was trained on the object ("社保卡的银行账户" is the social-security card)', () => {
    const decision = applyRules('社保卡的银行账户怎么激活', result([['svc:hr-sscard-apply', 0.9]]), rules);
    expect(decision.intentId).toBe('svc:hr-sscard-apply');
  });

  it('without a shipped term list (an older model) answers as the classifier decided', () => {
    expect(applyRules('我的存折丢了怎么挂失', result([['svc:hr-sscard-replace', 0.92]]), { ...rules, allowedTerms: undefined }).intentId).toBe('svc:hr-sscard-replace');
  });

  it('a decline the model made names the topic the question mentions, else the 12345 hotline', () => {
    const electricity = applyRules('家里停电了找谁', { ...result([['gen:complaint', 0.1]]), intentId: 'oos' }, rules);
    expect(electricity.declineTopic).toBe('utility-power');
    expect(answerFor(content, electricity).text).toContain('95598');
    const vague = applyRules('那个东西怎么弄', { ...result([['gen:complaint', 0.1]]), intentId: 'oos' }, rules);
    expect(vague.declineTopic).toBeUndefined();
    expect(answerFor(content, vague).text).toContain('12345');
  });

  it('speaks English in English mode, and falls back to outOfScopeAnswer for a package without a scope list', () => {
    const english = composeOutOfScopeAnswer(content, { topicId: 'bank', locale: 'en' });
    expect(english.text).toBe(`Sorry, this hall cannot help with that. ${scope?.topics.find((t) => t.id === 'bank')?.referral.en ?? ''}`);
    const { scope: _dropped, ...intents } = content.intents;
    expect(composeOutOfScopeAnswer({ ...content, intents }).text).toContain('回答不了');
  });
});

describe('clarifying question', () => {
  it('finds siblings in the content: 社保卡申领/补换, the three 公积金提取 kinds, 退休 ↔ 退休一件事', () => {
    expect(siblings.get('svc:hr-sscard-apply')?.has('svc:hr-sscard-replace')).toBe(true);
    expect([...(siblings.get('svc:hf-withdraw-rent') ?? [])]).toEqual(expect.arrayContaining(['svc:hf-withdraw-purchase', 'svc:hf-withdraw-retire']));
    expect(siblings.get('svc:hr-pension-claim')?.has('svc:xz-retire-one-thing')).toBe(true);
    expect(siblings.get('svc:ps-idcard-reissue')?.has('svc:amr-company-setup') ?? false).toBe(false);
  });

  it('asks between close siblings at the top, not between unrelated intents or a distant sibling', () => {
    expect(clarifyBetween(result([['svc:hr-sscard-apply', 0.5], ['svc:hr-sscard-replace', 0.4], ['fac:copy', 0.05]]).top3, siblings)?.map((c) => c.intentId)).toEqual([
      'svc:hr-sscard-apply',
      'svc:hr-sscard-replace',
    ]);
    expect(clarifyBetween(result([['svc:hr-sscard-apply', 0.5], ['fac:copy', 0.4]]).top3, siblings)).toBeUndefined();
    expect(clarifyBetween(result([['svc:hr-sscard-apply', 0.9], ['svc:hr-sscard-replace', 0.05]]).top3, siblings)).toBeUndefined();
  });

  it('builds one short question from the siblings\' names, with the siblings as answers', () => {
    const decision = applyRules('社保卡办', result([['svc:hr-sscard-apply', 0.55], ['svc:hr-sscard-replace', 0.35]]), { scope, allowedTerms: {}, siblings });
    expect(decision.unsure).toBe(true);
    const answer = answerFor(content, decision);
    expect(answer.kind).toBe('clarify');
    expect(answer.text).toBe('您要办理的是社会保障卡申领，还是社会保障卡补换？');
    expect(answer.suggestions).toEqual([
      { intentId: 'svc:hr-sscard-apply', label: '社会保障卡申领' },
      { intentId: 'svc:hr-sscard-replace', label: '社会保障卡补换' },
    ]);
    expect(composeClarifyAnswer(content, decision.clarify ?? [], { locale: 'en' }).text).toMatch(/^Which one do you need: [^\u4e00-\u9fff]+, or [^\u4e00-\u9fff]+\?$/);
  });

  it('never shows the same label twice: the three 住房公积金提取 kinds get their full names', () => {
    const top3: [string, number][] = [
      ['svc:hf-withdraw-rent', 0.4],
      ['svc:hf-withdraw-purchase', 0.35],
      ['svc:hf-withdraw-retire', 0.25],
    ];
    for (const answer of [answerFor(content, applyRules('公积金怎么提取', result(top3), { scope, allowedTerms: {}, siblings })), composeUnsureAnswer(content, result(top3).top3)]) {
      const labels = answer.suggestions?.map((s) => s.label) ?? [];
      expect(labels).toEqual(['住房公积金提取（租房）', '住房公积金提取（购买自住住房）', '住房公积金提取（退休）']);
    }
  });
});

describe('bare topic words (fragments)', () => {
  const index = fragmentIndex(content);
  const rules: DecisionRules = { scope, allowedTerms: {}, siblings, fragments: index };

  it('finds the services whose names or keywords contain a short question, and nothing for a long one', () => {
    expect(fragmentCandidates(index, '社保卡').sort()).toEqual(['svc:hr-sscard-apply', 'svc:hr-sscard-replace']);
    expect(fragmentCandidates(index, '公积金').length).toBeGreaterThanOrEqual(3);
    expect(fragmentCandidates(index, '社保卡坏了要换一张新的怎么办')).toEqual([]);
    expect(fragmentCandidates(index, '卡')).toEqual([]);
    expect(fragmentCandidates(index, '天气怎么样')).toEqual([]);
  });

  it('asks between sibling services instead of answering one of them ("社保卡")', () => {
    const decision = applyRules('社保卡', result([['svc:hr-sscard-apply', 0.8], ['svc:hr-sscard-replace', 0.1]]), rules);
    expect(decision).toMatchObject({ intentId: 'svc:hr-sscard-apply', unsure: true });
    expect(decision.clarify?.map((c) => c.intentId)).toEqual(['svc:hr-sscard-apply', 'svc:hr-sscard-replace']);
    expect(answerFor(content, decision).kind).toBe('clarify');
  });

  it('offers the services a declined bare word names rather than declining it ("补办")', () => {
    const decision = applyRules('补办', { ...result([['svc:re-new-house-transfer', 0.1], ['svc:ps-idcard-reissue', 0.05]]), intentId: 'oos', confidence: 0.9 }, rules);
    expect(decision).toMatchObject({ intentId: 'svc:ps-idcard-reissue', unsure: true });
    const answer = answerFor(content, decision);
    expect(answer.kind).toBe('unsure');
    expect(answer.suggestions?.length).toBe(3);
    expect(answer.suggestions?.[0]?.intentId).toBe('svc:ps-idcard-reissue');
    expect(new Set(answer.suggestions?.map((s) => s.label)).size).toBe(3);
  });

  it('replaces a confident answer outside the word\'s services with them ("公积金" is not the self-service area)', () => {
    const decision = applyRules('公积金', result([['fac:self-service', 0.75], ['svc:hf-withdraw-purchase', 0.04]]), rules);
    expect(decision.intentId).toBe('svc:hf-withdraw-purchase');
    expect(decision.unsure).toBe(true);
    // The three withdrawal kinds share a short name: their labels are the full names.
    const labels = answerFor(content, decision).suggestions?.map((s) => s.label) ?? [];
    expect(labels.every((label) => label !== '住房公积金提取')).toBe(true);
  });

  it('answers a sure bare word naming one service, and leaves out-of-scope words and longer questions alone', () => {
    expect(applyRules('护照', result([['svc:ee-passport', 0.99]]), rules)).toMatchObject({ intentId: 'svc:ee-passport', unsure: false });
    expect(applyRules('存折', { ...result([['svc:hr-sscard-replace', 0.1]]), intentId: 'oos', confidence: 0.9 }, rules)).toMatchObject({ intentId: 'oos', declineTopic: 'bank' });
    expect(applyRules('社保卡', result([['svc:hr-sscard-apply', 0.8]]), { ...rules, fragments: undefined }).unsure).toBe(false);
  });
});

describe('listed ambiguous words (the model config\'s ambiguousFragments)', () => {
  it('offers a listed word\'s intents even where the services\' words do not contain it, and drops unknown candidates', () => {
    const index = fragmentIndex(content, [{ text: '补证', candidates: ['svc:ps-idcard-reissue', 'svc:hr-sscard-replace', 'svc:no-such-service'] }]);
    expect(fragmentCandidates(fragmentIndex(content), '补证')).toEqual([]);
    expect(fragmentCandidates(index, '补证！')).toEqual(['svc:ps-idcard-reissue', 'svc:hr-sscard-replace']);
    const decision = applyRules('补证', { ...result([['svc:ps-idcard-reissue', 0.2]]), intentId: 'oos', confidence: 0.8 }, { scope, allowedTerms: {}, siblings, fragments: index });
    expect(decision).toMatchObject({ intentId: 'svc:ps-idcard-reissue', unsure: true });
    expect(answerFor(content, decision).suggestions?.map((s) => s.intentId)).toEqual(['svc:ps-idcard-reissue', 'svc:hr-sscard-replace']);
  });
  it('finds a listed word wrapped in words that do not decide it ("我想办社保卡", "社保卡怎么办") and asks however sure the model is', () => {
    const index = fragmentIndex(content, [
      { text: '社保卡', candidates: ['svc:hr-sscard-apply', 'svc:hr-sscard-replace'] },
      { text: '补办', candidates: ['svc:ps-idcard-reissue', 'svc:hr-sscard-replace'] },
    ]);
    for (const text of ['社保卡', '我想办社保卡', '办社保卡', '社保卡办', '社保卡怎么办？', '请问社保卡在哪里办理呢']) {
      expect(listedFragmentCandidates(index, text), text).toEqual(['svc:hr-sscard-apply', 'svc:hr-sscard-replace']);
    }
    expect(listedFragmentCandidates(index, '我要补办')).toEqual(['svc:ps-idcard-reissue', 'svc:hr-sscard-replace']);
    // A word that decides it is left to the model.
    for (const text of ['社保卡丢了', '第一次办社保卡', '社保卡坏了怎么办', '办']) expect(listedFragmentCandidates(index, text), text).toEqual([]);
    const sure = applyRules('我想办社保卡', result([['svc:hr-sscard-apply', 0.97], ['svc:hr-sscard-replace', 0.02]]), { scope, allowedTerms: {}, siblings, fragments: index });
    expect(sure).toMatchObject({ unsure: true, clarify: [{ intentId: 'svc:hr-sscard-apply' }, { intentId: 'svc:hr-sscard-replace' }] });
    expect(answerFor(content, sure).kind).toBe('clarify');
  });
});
