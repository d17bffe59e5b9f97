import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContentError, loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import { buildDataset } from './dataset.js';
import { withoutNearTwins } from './evaluate.js';
import { normalizeText } from './text.js';
import { DEFAULT_TRAIN_OPTIONS } from './train.js';
import { loadTrainingContent, TRAINING_QUESTIONS_FILE } from './training-questions.js';

const HALL = join(import.meta.dirname, '../../../content/hall');
let content: ContentPackage;
const dirs: string[] = [];

beforeAll(() => {
  content = loadContent(HALL);
});
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the demo hall's three content files with `questions` (raw text) as its training questions, or none. */
function hallWith(questions?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-tq-'));
  dirs.push(dir);
  for (const file of ['hall.json', 'services.json', 'intents.json']) cpSync(join(HALL, file), join(dir, file));
  if (questions !== undefined) writeFileSync(join(dir, TRAINING_QUESTIONS_FILE), questions);
  return dir;
}

const file = (questions: Record<string, string[]>): string => JSON.stringify({ version: '1', provenance: 'test', questions });

describe('loadTrainingContent', () => {
  it('trains from the content package alone when there is no training-questions file', () => {
    const loaded = loadTrainingContent(hallWith());
    expect(loaded.trainingQuestions).toEqual({});
    expect(loaded.trainingQuestionsHash).toBeNull();
    expect(loaded.hash).toBe(content.hash);
  });

  it('reads questions for known intents and for oos', () => {
    const loaded = loadTrainingContent(hallWith(file({ 'svc:ps-idcard-reissue': ['身份证弄没了咋整'], oos: ['明天会下雨吗'] })));
    expect(loaded.trainingQuestions['svc:ps-idcard-reissue']).toEqual(['身份证弄没了咋整']);
    expect(loaded.trainingQuestionsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('merges every training-questions file, keeping what the writers noted, and checks oos topics against the scope list', () => {
    const dir = hallWith(file({ 'svc:ps-idcard-reissue': ['身份证弄没了咋整'] }));
    writeFileSync(join(dir, 'training-questions-styles.json'), JSON.stringify({ version: '1', provenance: 'styles', questions: { 'svc:ps-idcard-reissue': [{ text: '身份正丢了', style: 'typo' }] } }));
    writeFileSync(join(dir, 'training-questions-oos.json'), JSON.stringify({ version: '1', provenance: 'oos', questions: { oos: [{ text: '存折丢了', topic: 'bank', nearMiss: true, style: 'plain' }] } }));
    const loaded = loadTrainingContent(dir);
    expect(loaded.trainingQuestions['svc:ps-idcard-reissue']).toEqual(['身份证弄没了咋整', { text: '身份正丢了', style: 'typo' }]);
    expect(loaded.trainingQuestions['oos']).toEqual([{ text: '存折丢了', topic: 'bank', nearMiss: true, style: 'plain' }]);
    const items = buildDataset(loaded, { ...DEFAULT_TRAIN_OPTIONS, trainingQuestionsInCalibration: false }).train.filter((item) => item.source === 'training-question');
    expect(items.find((item) => item.text === '存折丢了')).toMatchObject({ label: 'oos', topic: 'bank', style: 'plain' });
    writeFileSync(join(dir, 'training-questions-oos.json'), JSON.stringify({ version: '1', provenance: 'oos', questions: { oos: [{ text: '存折丢了', topic: 'banks' }] } }));
    expect(() => loadTrainingContent(dir)).toThrow(/training-questions-oos\.json: questions\.oos\.0: topic "banks" is not a scope topic/);
  });

  it('keeps ambiguous fragments apart from the training questions and checks every candidate is an intent', () => {
    const ambiguous = (candidates: string[]): string =>
      JSON.stringify({ version: '1', provenance: 'test', questions: { 'fac:restroom': ['厕所'] }, ambiguous: [{ text: '补办', candidates }] });
    const dir = hallWith(ambiguous(['svc:ps-idcard-reissue', 'svc:hr-sscard-replace']));
    const loaded = loadTrainingContent(dir);
    expect(loaded.ambiguousFragments).toEqual([{ text: '补办', candidates: ['svc:ps-idcard-reissue', 'svc:hr-sscard-replace'] }]);
    expect(loaded.trainingQuestions).toEqual({ 'fac:restroom': ['厕所'] });
    const items = buildDataset(loaded, { ...DEFAULT_TRAIN_OPTIONS, trainingQuestionsInCalibration: false }).train;
    expect(items.some((item) => item.text === '补办')).toBe(false);
    expect(loadTrainingContent(hallWith()).ambiguousFragments).toEqual([]);
    expect(() => loadTrainingContent(hallWith(ambiguous(['svc:ps-idcard-reissue', 'svc:no-such-service'])))).toThrow(
      /ambiguous\.0: candidate "svc:no-such-service" is not an intent/,
    );
    expect(() => loadTrainingContent(hallWith(ambiguous(['svc:ps-idcard-reissue', 'oos'])))).toThrow(/candidate "oos" is not an intent/);
    expect(() => loadTrainingContent(hallWith(ambiguous(['fac:restroom', 'fac:restroom'])))).toThrow(/ambiguous\.0: a candidate is listed twice/);
    expect(() => loadTrainingContent(hallWith(ambiguous(['fac:restroom'])))).toThrow(/ambiguous\.0\.candidates/);
  });

  it('refuses unknown intents, bad shapes and broken JSON with the problem named', () => {
    expect(() => loadTrainingContent(hallWith(file({ 'svc:no-such-service': ['问题'] })))).toThrow(/questions\.svc:no-such-service: no such intent/);
    expect(() => loadTrainingContent(hallWith(JSON.stringify({ version: '1', questions: { oos: [''] } })))).toThrow(ContentError);
    expect(() => loadTrainingContent(hallWith('{"version": '))).toThrow(/training-questions\.json: is not valid JSON/);
  });
});

describe('training questions in the dataset', () => {
  it('only train (one in ten calibrates, when asked), and give way to a held-out question they coincide with', () => {
    const withCalibration = buildDataset({ ...content, trainingQuestions: { oos: Array.from({ length: 40 }, (_, i) => `第${i}个问题`) } }, DEFAULT_TRAIN_OPTIONS);
    const calibrating = withCalibration.calib.filter((item) => item.source === 'training-question').length;
    expect(calibrating).toBeGreaterThan(0);
    expect(calibrating).toBeLessThan(12);
    expect(withCalibration.test.some((item) => item.source === 'training-question')).toBe(false);
    const options = { ...DEFAULT_TRAIN_OPTIONS, trainingQuestionsInCalibration: false };
    const plain = buildDataset(content, options);
    const heldoutExample = plain.test.find((item) => item.source === 'example');
    if (!heldoutExample) throw new Error('the demo hall has held-out examples');
    const trainingQuestions = { 'svc:ps-idcard-reissue': ['身份证弄没了咋整', `${heldoutExample.text}。`], oos: ['明天会下雨吗'] };
    const dataset = buildDataset({ ...content, trainingQuestions }, options);
    const questions = dataset.train.filter((item) => item.source === 'training-question');
    expect(questions.map((item) => [item.text, item.label])).toEqual([
      ['身份证弄没了咋整', 'svc:ps-idcard-reissue'],
      ['明天会下雨吗', 'oos'],
    ]);
    expect([...dataset.calib, ...dataset.test].some((item) => item.source === 'training-question')).toBe(false);
    // The held-out split is what it was without them: the figures stay comparable.
    expect(dataset.test).toEqual(plain.test);
    const trained = new Set(dataset.train.map((item) => normalizeText(item.text)));
    expect(trained.has(normalizeText(heldoutExample.text))).toBe(false);
  });
});

describe('withoutNearTwins', () => {
  it('keeps only the held-out questions no training question nearly repeats', () => {
    const heldout = [{ text: '身份证丢了怎么补' }, { text: '卫生间在哪里' }, { text: '身份证丢了去哪里办' }];
    const kept = withoutNearTwins(heldout, ['身份证丢了怎么补啊', '停车场在哪']);
    expect(kept.map((item) => item.text)).toEqual(['卫生间在哪里', '身份证丢了去哪里办']);
    expect(withoutNearTwins(heldout, [])).toEqual(heldout);
  });
});
