/**
 * Cross-validation of the intent trainer over the training split only.
 *   npx tsx scripts/cv-intent.ts [--folds 4] [--seeds 1] [--misses] [--set option=value …] [--content content/hall]
 * The hand-written examples and real out-of-scope lines of the training split
 * are cut into folds; each fold is scored by a model trained without it
 * (calibrated on the usual calibration split). The test split is never read,
 * so training changes can be compared without tuning on the held-out figures.
 * The last line is one JSON object.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTrainingContent } from '../electron/host/robot/training-questions.js';
import { OOS } from '../electron/host/robot/catalog.js';
import { IntentClassifier } from '../electron/host/robot/classifier.js';
import { buildDataset } from '../electron/host/robot/dataset.js';
import { LexicalMatcher, lexicalDocuments } from '../electron/host/robot/lexical.js';
import { fnv1a } from '../electron/host/robot/text.js';
import { DEFAULT_TRAIN_OPTIONS, trainIntentModel, type TrainOptions } from '../electron/host/robot/train.js';

const { values } = parseArgs({
  options: {
    content: { type: 'string', default: 'content/hall' },
    folds: { type: 'string', default: '4' },
    seeds: { type: 'string', default: '1' },
    misses: { type: 'boolean', default: false },
    // Experiments: override training options, e.g. --set classBalance=0.5 --set epochs=40.
    set: { type: 'string', multiple: true, default: [] },
  },
});
const folds = Number(values.folds);
const seeds = Number(values.seeds);
const content = loadTrainingContent(resolve(values.content));
const overrides = Object.fromEntries(
  values.set.map((pair) => {
    const [key = '', value = ''] = pair.split('=');
    if (!(key in DEFAULT_TRAIN_OPTIONS)) throw new Error(`--set ${key}: not a training option`);
    const current: unknown = DEFAULT_TRAIN_OPTIONS[key as keyof TrainOptions];
    return [key, typeof current === 'string' ? value : typeof current === 'boolean' ? value === 'true' : Array.isArray(current) ? value.split(',').map((v) => (v === 'null' ? null : Number(v))) : Number(value)];
  }),
);
const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...overrides };
const full = buildDataset(content, options);
const scored = full.train.filter((item) => item.source === 'example' || item.source === 'oos');
const foldOf = (text: string): number => fnv1a(`cv|${text}`) % folds;

const totals = { examples: 0, examplesCorrect: 0, bestInScopeCorrect: 0, oos: 0, oosDeclined: 0, falseDeclines: 0 };
const started = performance.now();
for (let seed = 0; seed < seeds; seed++) {
  for (let fold = 0; fold < folds; fold++) {
    const held = new Set(scored.filter((item) => foldOf(item.text) === fold).map((item) => item.text));
    const dataset = { ...buildDataset(content, options, held), test: scored.filter((item) => held.has(item.text)) };
    const result = await trainIntentModel(content, { ...options, seed: options.seed + seed }, () => {}, dataset);
    const shipped = result.heldout.find((h) => h.lexicalWeight === result.config.lexicalWeight);
    const classifier = IntentClassifier.fromModel(result.model, result.config, new LexicalMatcher(lexicalDocuments(content, held)));
    for (const item of dataset.test) {
      const decision = classifier.classify(item.text);
      if (item.label !== OOS && decision.top3[0]?.intentId === item.label) totals.bestInScopeCorrect++;
      if (!values.misses || decision.intentId === item.label) continue;
      const oos = classifier.probabilities(item.text)?.at(-1) ?? 0;
      console.log(`  miss  ${item.text}  ${item.label} → ${decision.intentId} (${decision.confidence.toFixed(2)}; p(oos) ${oos.toFixed(2)}, best in scope ${decision.top3[0]?.intentId} ${decision.top3[0]?.confidence.toFixed(2)})`);
    }
    result.model.dispose();
    if (!shipped) throw new Error('no figures for the chosen lexical weight');
    const figures = shipped.all;
    const oosLines = dataset.test.filter((item) => item.label === OOS).length;
    const inScope = dataset.test.length - oosLines;
    totals.examples += inScope;
    totals.examplesCorrect += Math.round(figures.top1 * inScope);
    totals.oos += oosLines;
    totals.oosDeclined += Math.round(figures.oosRecall * oosLines);
    totals.falseDeclines += figures.falseDeclines;
    console.log(`seed +${seed} fold ${fold}: hand-written ${(figures.top1 * 100).toFixed(1)}% of ${inScope}, OOS ${Math.round(figures.oosRecall * oosLines)}/${oosLines}, wrongly declined ${figures.falseDeclines}, threshold ${result.config.oosThreshold}, temperature ${result.config.temperature}`);
  }
}
const summary = {
  folds,
  seeds,
  top1Examples: Math.round((totals.examplesCorrect / Math.max(1, totals.examples)) * 1e4) / 1e4,
  // The best in-scope intent, never declining: how good the intent ranking is, apart from the OOS decision.
  top1NeverDecline: Math.round((totals.bestInScopeCorrect / Math.max(1, totals.examples)) * 1e4) / 1e4,
  oosRecall: Math.round((totals.oosDeclined / Math.max(1, totals.oos)) * 1e4) / 1e4,
  falseDeclines: totals.falseDeclines,
  lines: totals.examples + totals.oos,
  seconds: Math.round((performance.now() - started) / 1000),
};
console.log(`hand-written top-1 ${(summary.top1Examples * 100).toFixed(1)}%, OOS recall ${(summary.oosRecall * 100).toFixed(1)}%, wrongly declined ${summary.falseDeclines}, ${summary.seconds} s`);
console.log(JSON.stringify(summary));
