import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import { buildDataset } from './dataset.js';
import { modelArtifacts } from './model-files.js';
import { augment, DEFAULT_TRAIN_OPTIONS, fitTemperature, trainIntentModel, type TrainOptions } from './train.js';
import { normalizeText, seededRandom } from './text.js';

let content: ContentPackage;

beforeAll(() => {
  content = loadContent(join(import.meta.dirname, '../../../content/hall'));
});

/** Small enough to train twice in a few seconds; same code path as the shipped configuration. */
const TINY: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, hiddenUnits: 8, maxVocabulary: 300, epochs: 2, batchSize: 256, augmentCopies: 1, phrasingsPerTerm: 1, heldoutPerTerm: 1, lexicalWeights: [0] };

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
