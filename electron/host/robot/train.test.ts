import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import { answerClauses, buildDataset } from './dataset.js';
import { modelArtifacts } from './model-files.js';
import { chitchatNegatives, servicePhrasings, sharedServiceTerms } from './catalog.js';
import { augment, backpropagate, DEFAULT_TRAIN_OPTIONS, fitTemperature, mergeEnsemble, trainIntentModel, type DenseNet, type TrainOptions } from './train.js';
import { seededRandom } from '../../common/random.js';
import { normalizeText } from './text.js';

let content: ContentPackage;

beforeAll(() => {
  content = loadContent(join(import.meta.dirname, '../../../content/hall'));
});

/** Small enough to train twice in a few seconds; same code path as the shipped configuration. */
const TINY: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, hiddenUnits: 8, maxVocabulary: 300, epochs: 2, batchSize: 256, augmentCopies: 1, phrasingsPerTerm: 1, heldoutPerTerm: 1, lexicalWeights: [0], ensembleMembers: 1 };

describe('trainIntentModel', () => {
  it('is deterministic: the same content and seed give byte-identical weights and config', async () => {
    const first = await trainIntentModel(content, TINY);
    const second = await trainIntentModel(content, TINY);
    const a = await modelArtifacts(first.model);
    const b = await modelArtifacts(second.model);
    expect(a.weights.byteLength).toBe(4 * (300 * 8 + 8 + 8 * first.config.labels.length + first.config.labels.length));
    expect(a.weights.equals(b.weights)).toBe(true);
    expect(a.topology).toBe(b.topology);
    expect(second.config).toEqual(first.config);
    const other = await trainIntentModel(content, { ...TINY, seed: TINY.seed + 1 });
    expect((await modelArtifacts(other.model)).weights.equals(a.weights)).toBe(false);
    for (const result of [first, second, other]) result.model.dispose();
  }, 120_000);
});

describe('training data', () => {
  it('gives every service an intent and keeps held-out texts out of training', () => {
    const dataset = buildDataset(content, DEFAULT_TRAIN_OPTIONS);
    expect(dataset.labels.at(-1)).toBe('oos');
    for (const service of content.services.services) expect(dataset.labels).toContain(`svc:${service.id}`);
    const train = new Set(dataset.train.map((item) => normalizeText(item.text)));
    expect([...dataset.calib, ...dataset.test].filter((item) => train.has(normalizeText(item.text)))).toEqual([]);
    expect(dataset.test.filter((item) => item.source === 'oos')).toHaveLength(10);
    expect(dataset.test.filter((item) => item.source === 'example').length).toBeGreaterThan(100);
    expect(buildDataset(content, DEFAULT_TRAIN_OPTIONS)).toEqual(dataset);
  });

  it('augments deterministically and fits a temperature that sharpens over-soft logits', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const texts = ['身份证丢了怎么办', '卫生间在哪里', '我想办护照'];
    expect(texts.map((t) => augment(t, a))).toEqual(texts.map((t) => augment(t, b)));
    // Correct label always has the largest logit, but by a small margin: T < 1 lowers the NLL.
    const logits = [new Float32Array([1, 0.5, 0]), new Float32Array([0, 1, 0.5])];
    expect(fitTemperature(logits, [0, 1], [1, 1])).toBeLessThan(1);
  });
});

describe('backpropagate', () => {
  it('matches a finite-difference gradient of the smoothed cross-entropy', () => {
    const random = seededRandom(3);
    const filled = (n: number): Float64Array => Float64Array.from({ length: n }, () => random() - 0.5);
    const [features, hidden, labels] = [5, 4, 3];
    const net = { kernel1: filled(features * hidden), bias1: filled(hidden), kernel2: filled(hidden * labels), bias2: filled(labels) };
    const zeros = () => ({ kernel1: new Float64Array(features * hidden), bias1: new Float64Array(hidden), kernel2: new Float64Array(hidden * labels), bias2: new Float64Array(labels) });
    const example = { indices: [1, 3], values: [0.6, 0.8], label: 2 };
    const grads = zeros();
    backpropagate(net, grads, example, 1, 0.1);
    const h = 1e-6;
    for (const key of ['kernel1', 'bias1', 'kernel2', 'bias2'] as const) {
      net[key].forEach((value, i) => {
        net[key][i] = value + h;
        const up = backpropagate(net, zeros(), example, 1, 0.1);
        net[key][i] = value - h;
        const down = backpropagate(net, zeros(), example, 1, 0.1);
        net[key][i] = value;
        expect(grads[key][i]).toBeCloseTo((up - down) / (2 * h), 5);
      });
    }
    // Rows of features the example does not have get no gradient (the sparse first layer).
    expect(grads.kernel1.slice(0, hidden).every((g) => g === 0)).toBe(true);
  });
});

describe('chitchatNegatives', () => {
  it('are generated, not copied from intents.json examples or its outOfScope lines', () => {
    const negatives = chitchatNegatives();
    expect(negatives.length).toBeGreaterThan(250);
    const written = new Set([...content.intents.outOfScope, ...content.intents.intents.flatMap((intent) => intent.examples)].map(normalizeText));
    expect(negatives.filter((text) => written.has(normalizeText(text)))).toEqual([]);
  });

  it('leave out topics, fillers and frame words that in-scope texts use', () => {
    const all = chitchatNegatives();
    expect(all.some((text) => text.includes('快递'))).toBe(true);
    expect(all.some((text) => text.includes('帮我查查'))).toBe(true);
    const filtered = chitchatNegatives(['办好的证能快递给我吗', '帮我查查排队情况']);
    expect(filtered.filter((text) => text.includes('快递') || text.includes('帮我查查'))).toEqual([]);
    expect(filtered.length).toBeGreaterThan(200);
  });

  it('in the dataset never contain a word of a training question or a service term', () => {
    const dataset = buildDataset(content, DEFAULT_TRAIN_OPTIONS);
    const negatives = [...dataset.train, ...dataset.calib].filter((item) => item.source === 'negative').map((item) => item.text);
    for (const term of ['快递', '身份证', '社保卡']) expect(negatives.filter((text) => text.includes(term))).toEqual([]);
  });
});

describe('shared service terms', () => {
  it('are found across services and generate no phrasings', () => {
    const shared = sharedServiceTerms(content.services.services);
    expect(shared.has('婚姻登记')).toBe(true);
    const marriage = content.services.services.find((service) => service.id === 'ca-marriage');
    if (!marriage) throw new Error('demo hall has ca-marriage');
    const phrasings = [...servicePhrasings(marriage, 'train', 18, shared), ...servicePhrasings(marriage, 'heldout', 7, shared)];
    expect(phrasings.length).toBeGreaterThan(0);
    expect(phrasings.filter((text) => text.includes('婚姻登记'))).toEqual([]);
    expect(servicePhrasings(marriage, 'train', 18).some((text) => text.includes('婚姻登记'))).toBe(true);
  });
});

describe('answerClauses', () => {
  it('teaches facility and general intents what their answers name, not what other intents are about', () => {
    expect(answerClauses(content, 'fac:mother-baby')).toContain('里面有哺乳椅');
    expect(answerClauses(content, 'gen:opening-hours')).toContain('周日及法定节假日休息');
    const capabilities = answerClauses(content, 'gen:capabilities');
    expect(capabilities.length).toBeGreaterThan(0);
    expect(capabilities.filter((clause) => clause.includes('卫生间') || clause.includes('要带什么材料'))).toEqual([]);
    expect(answerClauses(content, 'gen:greeting').filter((clause) => clause.includes('补办身份证'))).toEqual([]);
    const dataset = buildDataset(content, DEFAULT_TRAIN_OPTIONS);
    expect(dataset.train.some((item) => item.label === 'fac:mother-baby' && item.text === '里面有哺乳椅')).toBe(true);
    expect(buildDataset(content, { ...DEFAULT_TRAIN_OPTIONS, answerClauses: false }).train.some((item) => item.text === '里面有哺乳椅')).toBe(false);
  });
});

describe('refitting on the calibration split', () => {
  it('ships a network trained on training + calibration texts, calibrated before', async () => {
    const plain = await trainIntentModel(content, { ...TINY, refitWithCalibration: false });
    const refit = await trainIntentModel(content, { ...TINY, refitWithCalibration: true });
    expect(refit.trainingTexts).toBeGreaterThan(plain.trainingTexts);
    expect(refit.config.temperature).toBe(plain.config.temperature);
    expect(refit.config.oosThreshold).toBe(plain.config.oosThreshold);
    // The vocabulary is chosen again from the larger set of texts.
    expect(refit.config.features.vocabulary).not.toEqual(plain.config.features.vocabulary);
    for (const result of [plain, refit]) result.model.dispose();
  }, 120_000);
});

describe('an ensemble over seeds', () => {
  /** Plain forward pass of a DenseNet (kernels row-major, as tfjs stores them). */
  const forward = (net: DenseNet, input: readonly number[]): number[] => {
    const hidden = net.bias1.length;
    const outputs = net.bias2.length;
    const h = Array.from({ length: hidden }, (_, j) => Math.max(0, input.reduce((sum, x, i) => sum + x * (net.kernel1[i * hidden + j] ?? 0), net.bias1[j] ?? 0)));
    return Array.from({ length: outputs }, (_, c) => h.reduce((sum, x, j) => sum + x * (net.kernel2[j * outputs + c] ?? 0), net.bias2[c] ?? 0));
  };
  const randomNet = (seed: number): DenseNet => {
    const random = seededRandom(seed);
    const fill = (n: number): Float64Array => Float64Array.from({ length: n }, () => random() * 2 - 1);
    return { kernel1: fill(5 * 4), bias1: fill(4), kernel2: fill(4 * 3), bias2: fill(3) };
  };

  it('is one network whose logits are the mean of its members\' logits', () => {
    const members = [randomNet(1), randomNet(2), randomNet(3)];
    const merged = mergeEnsemble(members);
    expect(merged.bias1.length).toBe(12);
    for (const input of [[1, 0, 0, 0, 0], [0.2, -0.5, 0.3, 0.9, -1]]) {
      const mean = members.map((m) => forward(m, input)).reduce((acc, logits) => acc.map((v, c) => v + (logits[c] ?? 0) / members.length), [0, 0, 0]);
      forward(merged, input).forEach((v, c) => expect(v).toBeCloseTo(mean[c] ?? NaN, 12));
    }
    expect(mergeEnsemble([members[0] as DenseNet])).toBe(members[0]);
  });

  it('trains K members into one standard two-layer model with K × hiddenUnits units', async () => {
    const single = await trainIntentModel(content, { ...TINY, refitWithCalibration: false });
    const ensemble = await trainIntentModel(content, { ...TINY, refitWithCalibration: false, ensembleMembers: 2 });
    const [k1] = ensemble.model.getWeights();
    expect(k1?.shape).toEqual([300, 16]);
    // Member 0 is the single network: its hidden units are the first half of the ensemble's.
    const singleKernel = single.model.getWeights()[0]?.dataSync() ?? new Float32Array();
    const ensembleKernel = k1?.dataSync() ?? new Float32Array();
    expect(Array.from(ensembleKernel.subarray(0, 8))).toEqual(Array.from(singleKernel.subarray(0, 8)));
    expect(Array.from(ensembleKernel.subarray(8, 16))).not.toEqual(Array.from(singleKernel.subarray(0, 8)));
    for (const result of [single, ensemble]) result.model.dispose();
  }, 120_000);
});
