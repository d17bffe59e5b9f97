import * as tf from '@tensorflow/tfjs';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import { intentCatalog, OOS, servicePhrasings } from './catalog.js';
import { decideFromModel, IntentClassifier, type IntentResult } from './classifier.js';
import { Featurizer } from './features.js';
import { softmaxWithTemperature, type IntentModelConfig } from './model.js';
import { MODEL_FILES } from './model-files.js';
import { normalizeText } from './text.js';

const ROOT = join(import.meta.dirname, '../../..');
const MODEL_DIR = join(ROOT, 'content/model');
let content: ContentPackage;
let classifier: IntentClassifier;
const tempDirs: string[] = [];

beforeAll(async () => {
  content = loadContent(join(ROOT, 'content/hall'));
  classifier = await IntentClassifier.load({ modelDir: MODEL_DIR, content });
});

afterAll(() => {
  classifier.dispose();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function copyOfModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-model-'));
  tempDirs.push(dir);
  for (const file of [MODEL_FILES.topology, MODEL_FILES.weights, MODEL_FILES.config]) copyFileSync(join(MODEL_DIR, file), join(dir, file));
  return dir;
}

function expectSane(result: IntentResult): void {
  expect(typeof result.intentId).toBe('string');
  expect(result.confidence).toBeGreaterThanOrEqual(0);
  expect(result.confidence).toBeLessThanOrEqual(1);
  expect(result.top3.length).toBeLessThanOrEqual(3);
}

describe('IntentClassifier with the shipped model', () => {
  it('loads healthy and reports its load time', () => {
    expect(classifier.health()).toEqual({ state: 'ok' });
    expect(classifier.loadMs).toBeGreaterThan(0);
  });

  it('computes the same probabilities sparsely as tfjs model.predict', () => {
    for (const text of ['身份证丢了怎么办', '卫生间在哪里', '今天天气怎么样', '我想给孩子改个名字', 'zzz']) {
      const sparse = classifier.probabilities(text);
      const dense = classifier.probabilitiesViaTfjs(text);
      expect(sparse?.length).toBe(dense?.length);
      sparse?.forEach((p, i) => expect(Math.abs(p - (dense?.[i] ?? 0)), text).toBeLessThan(1e-5));
    }
  });

  it('is a standard tfjs model: tf.loadLayersModel reads model.json + weights.bin as shipped and agrees with the fast path', async () => {
    // Only tfjs and the files, as a hall's data team would load it (no project loader): the manifest's weight specs, the raw weights.
    const modelJson = JSON.parse(readFileSync(join(MODEL_DIR, MODEL_FILES.topology), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
    const weights = readFileSync(join(MODEL_DIR, modelJson.weightsManifest[0]?.paths[0] ?? MODEL_FILES.weights));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights), weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }),
    );
    const config = JSON.parse(readFileSync(join(MODEL_DIR, MODEL_FILES.config), 'utf8')) as IntentModelConfig;
    const featurizer = new Featurizer(config.features);
    for (const text of ['身份证丢了怎么办', 'where is the toilet', '我的存折丢了怎么挂失', '社保卡咋个补咯']) {
      const logits = tf.tidy(() => (model.predict(tf.tensor2d(featurizer.vector(text), [1, featurizer.size])) as tf.Tensor).dataSync());
      const viaTfjs = softmaxWithTemperature(logits, config.temperature);
      const fast = classifier.probabilities(text);
      expect(fast?.length).toBe(config.labels.length);
      viaTfjs.forEach((p, i) => expect(Math.abs(p - (fast?.[i] ?? 0)), text).toBeLessThan(1e-5));
    }
    model.dispose();
  });

  it('has every service as an intent', () => {
    const ids = new Set(intentCatalog(content).map((e) => e.id));
    for (const service of content.services.services) expect(ids.has(`svc:${service.id}`), service.id).toBe(true);
    expect(ids.size).toBe(content.services.services.length + content.intents.intents.filter((i) => i.type !== 'service').length);
  });

  it('classifies generated phrasings of services that have no examples', () => {
    const listed = new Set(content.intents.intents.map((i) => i.serviceId));
    const unlisted = content.services.services.filter((s) => !listed.has(s.id));
    let correct = 0;
    for (const service of unlisted) {
      const phrasing = servicePhrasings(service, 'heldout', 1)[0] ?? service.name;
      if (classifier.classify(phrasing).intentId === `svc:${service.id}`) correct++;
    }
    // Held-out template wording: most, not necessarily all, must land on the service.
    expect(correct / unlisted.length).toBeGreaterThan(0.85);
    expect(classifier.classify('我想给孩子改个名字').intentId).toBe('svc:ps-name-change');
    expect(classifier.classify('开药店要办什么证').intentId).toBe('svc:amr-drug-retail');
  });

  it('answers the documented examples', () => {
    expect(classifier.classify('我想补办身份证件，去哪里办？').intentId).toBe('svc:ps-idcard-reissue');
    expect(classifier.classify('身份证丢了怎么办').intentId).toBe('svc:ps-idcard-reissue');
    expect(classifier.classify('卫生间在哪里').intentId).toBe('fac:restroom');
  });

  it('declines weather, jokes and stocks', () => {
    for (const text of ['后天会不会下大雨', '讲个好笑的笑话', '这只股票明天会涨吗', '今天天气怎么样']) {
      const result = classifier.classify(text);
      expect(result.intentId, text).toBe(OOS);
      expect(result.top3.length).toBe(3);
    }
  });

  it('never throws on bad input and gives a sane result', () => {
    const inputs: unknown[] = ['', '   ', '😀😀🎉', '\u0000\u0007\u001b[31m', '身份证'.repeat(3400), 'ID card 身份证 lost 丢了', 'ｓｈｅｎｆｅｎ　身份證', '\ud800', null, undefined, 42, { text: '身份证' }];
    for (const input of inputs) {
      const result = classifier.classify(input);
      expectSane(result);
    }
    expect(classifier.classify('').intentId).toBe(OOS);
    expect(classifier.classify('😀😀🎉').intentId).toBe(OOS);
    expect(normalizeText('x'.repeat(10_000)).length).toBe(200);
  });
});

describe('IntentClassifier fallbacks', () => {
  it('falls back to the lexical matcher with degraded health when the model is missing', async () => {
    const dir = copyOfModel();
    rmSync(join(dir, MODEL_FILES.weights));
    const degraded = await IntentClassifier.load({ modelDir: dir, content });
    const health = degraded.health();
    expect(health.state).toBe('degraded');
    expect(health.reason).toMatchObject({ code: 'device.robotLexicalOnly', params: { detail: expect.stringContaining('weights.bin') } });
    const result = degraded.classify('身份证丢了怎么办');
    expect(result.source).toBe('lexical');
    expect(result.intentId).toBe('svc:ps-idcard-reissue');
    expectSane(degraded.classify('😀'));
  });

  it.each([
    ['truncated weights', (dir: string) => writeFileSync(join(dir, MODEL_FILES.weights), Buffer.alloc(100)), 'bytes'],
    ['garbage topology', (dir: string) => writeFileSync(join(dir, MODEL_FILES.topology), '{"modelTopology": 1'), 'not valid JSON'],
    ['config without labels', (dir: string) => writeFileSync(join(dir, MODEL_FILES.config), '{"format":"liuliu-intent/1"}'), 'intent-config.json'],
    ['NaN weights', (dir: string) => writeFileSync(join(dir, MODEL_FILES.weights), Buffer.from(new Float32Array(statSync(join(dir, MODEL_FILES.weights)).size / 4).fill(Number.NaN).buffer)), 'NaN'],
  ])('reports a corrupt model (%s) as degraded and keeps answering', async (_name, corrupt, reason) => {
    const dir = copyOfModel();
    corrupt(dir);
    const degraded = await IntentClassifier.load({ modelDir: dir, content });
    expect(degraded.health().state).toBe('degraded');
    expect(degraded.health().reason?.params['detail']).toContain(reason);
    expect(degraded.classify('结婚登记在哪里办').intentId).toBe('svc:ca-marriage');
  });
});


describe('decideFromModel', () => {
  const labels = ['svc:a', 'svc:b', 'gen:c', OOS];
  const params = { oosThreshold: 0.2, oosRatio: null, unsureThreshold: 0.5, lexicalWeight: 0 };

  it('by threshold only: declines only when no in-scope intent reaches it', () => {
    expect(decideFromModel(labels, [0.1, 0.05, 0.05, 0.8], params).intentId).toBe(OOS);
    // The oos class outscores the best intent, yet the intent clears the threshold: answered, as unsure.
    const answered = decideFromModel(labels, [0.3, 0.05, 0.05, 0.6], params);
    expect(answered).toMatchObject({ intentId: 'svc:a', unsure: true });
    expect(answered.top3.map((c) => c.intentId)).toEqual(['svc:a', 'svc:b', 'gen:c']);
    expect(decideFromModel(labels, [0.7, 0.1, 0.1, 0.1], params)).toMatchObject({ intentId: 'svc:a', unsure: false, confidence: 0.7 });
  });

  it('with a ratio: also declines when the oos class is that many times as likely as the best intent', () => {
    expect(decideFromModel(labels, [0.3, 0.05, 0.05, 0.6], { ...params, oosRatio: 2 }).intentId).toBe(OOS);
    expect(decideFromModel(labels, [0.3, 0.05, 0.05, 0.6], { ...params, oosRatio: 4 }).intentId).toBe('svc:a');
  });
});
