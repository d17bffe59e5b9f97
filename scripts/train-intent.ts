/**
 * Trains 浏浏's intent model from the hall content and writes content/model/.
 *   npx tsx scripts/train-intent.ts [--content content/hall] [--out content/model] [--seed-offset N] [--check-determinism]
 * --seed-offset trains the shipped configuration with seed + N (the seed spread; write it elsewhere with --out).
 * --check-determinism trains a second time and fails unless the weights are byte-identical.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTrainingContent } from '../electron/host/robot/training-questions.js';
import { decideFromLexical } from '../electron/host/robot/classifier.js';
import { predictAll, summarize } from '../electron/host/robot/evaluate.js';
import { LexicalMatcher, lexicalDocuments } from '../electron/host/robot/lexical.js';
import { MODEL_FILES, modelArtifacts, saveModel } from '../electron/host/robot/model-files.js';
import { DEFAULT_TRAIN_OPTIONS, trainIntentModel } from '../electron/host/robot/train.js';

const { values } = parseArgs({
  options: {
    content: { type: 'string', default: 'content/hall' },
    out: { type: 'string', default: 'content/model' },
    'check-determinism': { type: 'boolean', default: false },
    'seed-offset': { type: 'string', default: '0' },
  },
});
const contentDir = resolve(values.content);
const outDir = resolve(values.out);
const content = loadTrainingContent(contentDir);
const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

const options = { ...DEFAULT_TRAIN_OPTIONS, seed: DEFAULT_TRAIN_OPTIONS.seed + Number(values['seed-offset']) };
const result = await trainIntentModel(content, options, (line) => console.log(line));
await saveModel(outDir, result.model, result.config);
const weights = readFileSync(join(outDir, MODEL_FILES.weights));

let determinism: { checked: boolean; identical?: boolean } = { checked: false };
if (values['check-determinism']) {
  const again = await trainIntentModel(content, options);
  const second = await modelArtifacts(again.model);
  determinism = { checked: true, identical: second.weights.equals(weights) && JSON.stringify(again.config) === JSON.stringify(result.config) };
  console.log(`determinism: second run ${determinism.identical ? 'byte-identical' : 'DIFFERENT'} (weights sha256 ${sha256(second.weights).slice(0, 16)})`);
}

// The lexical matcher alone on the same held-out split: what the robot does when the model is missing.
const { dataset } = result;
const unseen = new Set([...dataset.calib, ...dataset.test].map((item) => item.text));
const lexical = new LexicalMatcher(lexicalDocuments(content, unseen));
const lexicalFigures = (items: typeof dataset.test) => summarize(predictAll(items.map((item) => ({ text: item.text, expect: item.label })), (text) => decideFromLexical(lexical.score(text))));
const lexicalOnly = lexicalFigures(dataset.test);
const lexicalOnlyExamples = lexicalFigures(dataset.test.filter((item) => item.source !== 'generated-heldout'));

const shipped = result.heldout.find((h) => h.lexicalWeight === result.config.lexicalWeight);
const count = (items: readonly { source: string }[], source: string): number => items.filter((item) => item.source === source).length;
const splitCounts = (items: typeof dataset.train) => ({
  total: items.length,
  examples: count(items, 'example'),
  trainingQuestions: count(items, 'training-question'),
  generated: count(items, 'generated') + count(items, 'generated-heldout'),
  outOfScope: count(items, 'oos'),
  chitchatNegatives: count(items, 'negative'),
});
const files = [MODEL_FILES.topology, MODEL_FILES.weights, MODEL_FILES.config].map((file) => ({ file, bytes: statSync(join(outDir, file)).size }));
const metrics = {
  seed: result.config.seed,
  contentHash: content.hash,
  trainingQuestionsHash: content.trainingQuestionsHash,
  trainingTimeMs: Math.round(result.trainMs),
  trainingTexts: result.trainingTexts,
  labels: result.config.labels.length,
  features: result.config.features.vocabulary.length,
  temperature: result.config.temperature,
  oosThreshold: result.config.oosThreshold,
  unsureThreshold: result.config.unsureThreshold,
  lexicalWeight: result.config.lexicalWeight,
  split: { train: splitCounts(dataset.train), calib: splitCounts(dataset.calib), test: splitCounts(dataset.test) },
  heldout: shipped ? { top1: shipped.all.top1, top1Examples: shipped.examples.top1, top1ExamplesWithoutNearTwins: shipped.examplesWithoutNearTwins.top1, examplesWithoutNearTwins: shipped.examplesWithoutNearTwins.inScope, top1GeneratedPhrasings: shipped.generated.top1, oosPrecision: shipped.all.oosPrecision, oosRecall: shipped.all.oosRecall, falseDeclines: shipped.all.falseDeclines } : null,
  lexicalComparison: [
    ...result.heldout.map((h) => ({ variant: h.lexicalWeight === 0 ? 'model only' : `model + lexical (weight ${h.lexicalWeight})`, top1: h.all.top1, top1Examples: h.examples.top1, oosRecall: h.all.oosRecall, oosPrecision: h.all.oosPrecision })),
    { variant: 'lexical only (fallback)', top1: lexicalOnly.top1, top1Examples: lexicalOnlyExamples.top1, oosRecall: lexicalOnly.oosRecall, oosPrecision: lexicalOnly.oosPrecision },
  ],
  heldoutConfusions: shipped?.all.confusions ?? [],
  files,
  totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
  weightsSha256: sha256(weights),
  determinism,
  options,
};
writeFileSync(join(outDir, MODEL_FILES.metrics), `${JSON.stringify(metrics, null, 2)}\n`);

console.table(metrics.lexicalComparison);
console.log(`held-out top-1 ${shipped?.all.top1} (examples ${shipped?.examples.top1}, ${shipped?.examplesWithoutNearTwins.top1} over the ${shipped?.examplesWithoutNearTwins.inScope} no training question nearly repeats; generated phrasings ${shipped?.generated.top1}), OOS recall ${shipped?.all.oosRecall}, precision ${shipped?.all.oosPrecision}`);
console.log(`wrote ${outDir}: ${metrics.totalBytes} bytes, weights sha256 ${metrics.weightsSha256.slice(0, 16)}, ${(metrics.trainingTimeMs / 1000).toFixed(1)} s`);
if (determinism.checked && !determinism.identical) process.exitCode = 1;
