/**
 * Cross-validation of the intent trainer over the training split only.
 *   npx tsx scripts/cv-intent.ts [--folds 4] [--seeds 1] [--misses] [--set option=value …] [--unscored FILE …] [--content content/hall]
 * The training split's hand-written examples, real out-of-scope lines and
 * training questions (all styles, out-of-scope topics) are cut into folds;
 * each fold is scored by a model trained without it, through the same rules
 * as the kiosk (RobotBrain: key-object check, clarifying question). Neither
 * the test split nor tests/heldout is ever read, so training changes can be
 * compared without tuning on held-out figures. Figures per source and style:
 * top-1, OOS recall, confidently wrong, unsure, clarify. The last line is one JSON object.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { asTrainingQuestion, loadTrainingContent, TrainingQuestionsFile } from '../electron/host/robot/training-questions.js';
import { OOS } from '../electron/host/robot/catalog.js';
import { RobotBrain } from '../electron/host/robot/brain.js';
import { IntentClassifier } from '../electron/host/robot/classifier.js';
import { outcomeFigures, predictAll, type Prediction } from '../electron/host/robot/evaluate.js';
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
    // Measure without the key-object check (scope.ts) to see what it adds.
    'no-key-object': { type: 'boolean', default: false },
    // Experiments: override training options, e.g. --set classBalance=0.5 --set epochs=40.
    set: { type: 'string', multiple: true, default: [] },
    // Training-questions files whose lines always train and are never scored, so a data addition is measured on the same lines as before it.
    unscored: { type: 'string', multiple: true, default: [] },
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
const unscored = new Set(
  values.unscored.flatMap((file) => {
    const parsed = TrainingQuestionsFile.parse(JSON.parse(readFileSync(resolve(values.content, file), 'utf8')));
    return Object.values(parsed.questions).flatMap((entries) => entries.map((entry) => asTrainingQuestion(entry).text));
  }),
);
const scored = full.train.filter((item) => (item.source === 'example' || item.source === 'oos' || item.source === 'training-question') && !unscored.has(item.text));
const foldOf = (text: string): number => fnv1a(`cv|${text}`) % folds;
/** Per-line group: hand-written examples, real OOS, training questions by style (plain when none) and in or out of scope. */
const groupOf = (item: (typeof scored)[number]): string =>
  item.source === 'training-question' ? `${item.label === OOS ? 'oos' : 'in'}-${item.style ?? 'plain'}` : item.source === 'example' ? 'hand-written' : 'oos-real';

const predictions: Prediction[] = [];
const clausePredictions: Prediction[] = [];
const noFragmentPredictions: Prediction[] = [];
/** Decision-rule variants scored on the same models: unsure threshold, key-object check, clarify ratio. */
const VARIANTS = [0.5, 0.6, 0.7].flatMap((unsure) => [true, false].flatMap((keyObject) => [0.15, 0.2, 0.3, 0.5].map((clarify) => ({ unsure, keyObject, clarify }))));
const variantKey = (v: (typeof VARIANTS)[number]): string => `unsure ${v.unsure} key-object ${v.keyObject ? 'on ' : 'off'} clarify ${v.clarify}`;
const variantPredictions = new Map<string, Prediction[]>();
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
/** The variants' figures over the folds scored so far (a long run can be read before it ends). */
function printVariants(title: string): Record<string, ReturnType<typeof outcomeFigures>> {
  console.log(`decision-rule variant (${title})`.padEnd(41) + '  top-1   OOS rec  conf.wrong  unsure  clarify');
  const figures = Object.fromEntries([...variantPredictions].map(([key, p]) => [key, outcomeFigures(p)]));
  for (const [key, f] of Object.entries(figures)) console.log(`${key.padEnd(40)} ${pct(f.top1).padStart(6)}  ${pct(f.oosRecall).padStart(7)}  ${pct(f.confidentlyWrong).padStart(10)}  ${pct(f.unsureRate).padStart(6)}  ${pct(f.clarifyRate).padStart(7)}`);
  return figures;
}
const started = performance.now();
for (let seed = 0; seed < seeds; seed++) {
  for (let fold = 0; fold < folds; fold++) {
    const heldItems = scored.filter((item) => foldOf(item.text) === fold);
    const held = new Set(heldItems.map((item) => item.text));
    const dataset = { ...buildDataset(content, options, held), test: heldItems };
    const result = await trainIntentModel(content, { ...options, seed: options.seed + seed }, () => {}, dataset);
    const lexical = new LexicalMatcher(lexicalDocuments(content, held));
    const lines = heldItems.map((item) => ({ text: item.text, expect: item.label, source: groupOf(item) }));
    // The rules after the classifier need no retraining: every variant is scored on this fold's model.
    for (const variant of VARIANTS) {
      const classifier = IntentClassifier.fromModel(result.model, { ...result.config, unsureThreshold: Math.max(result.config.oosThreshold, variant.unsure) }, lexical);
      const variantBrain = RobotBrain.fromClassifier(classifier, content, { keyObjectCheck: variant.keyObject, clarifyRatio: variant.clarify });
      const key = variantKey(variant);
      variantPredictions.set(key, [...(variantPredictions.get(key) ?? []), ...predictAll(lines, (text) => variantBrain.decide(text))]);
    }
    const classifier = IntentClassifier.fromModel(result.model, result.config, lexical);
    const brain = RobotBrain.fromClassifier(classifier, content, { keyObjectCheck: !values['no-key-object'] });
    const these = predictAll(lines, (text) => brain.decide(text));
    predictions.push(...these);
    // The same model without the bare-topic-word rule (scope.ts `fragmentCandidates`): what the rule changes.
    const noFragmentBrain = RobotBrain.fromClassifier(classifier, content, { keyObjectCheck: !values['no-key-object'], fragmentRule: false });
    noFragmentPredictions.push(...predictAll(lines, (text) => noFragmentBrain.decide(text)));
    // The same model reading long questions the other way (clause scoring on ↔ off, clauses.ts).
    const toggled = IntentClassifier.fromModel(result.model, { ...result.config, clauseScoring: result.config.clauseScoring !== true }, lexical);
    const toggledBrain = RobotBrain.fromClassifier(toggled, content, { keyObjectCheck: !values['no-key-object'] });
    clausePredictions.push(...predictAll(lines, (text) => toggledBrain.decide(text)));
    if (values.misses) {
      for (const p of these.filter((q) => q.result.intentId !== q.expect)) {
        console.log(`  miss  ${p.text}  ${p.expect} → ${p.result.intentId} (${p.result.confidence.toFixed(2)}${p.result.unsure ? ', unsure' : ''}${p.result.keyObject ? `, key object ${p.result.keyObject}` : ''})`);
      }
    }
    result.model.dispose();
    printVariants(`after seed +${seed} fold ${fold}`);
    const f = outcomeFigures(these);
    console.log(`seed +${seed} fold ${fold}: ${these.length} lines, top-1 ${(f.top1 * 100).toFixed(1)}%, OOS recall ${(f.oosRecall * 100).toFixed(1)}%, confidently wrong ${(f.confidentlyWrong * 100).toFixed(1)}%, threshold ${result.config.oosThreshold}, ratio ${result.config.oosRatio ?? 'off'}, temperature ${result.config.temperature}`);
  }
}
const groups = [...new Set(predictions.map((p) => p.source ?? ''))].sort();
const bySource = Object.fromEntries(groups.map((g) => [g, outcomeFigures(predictions.filter((p) => p.source === g))]));
console.log('source            lines   top-1   OOS rec  conf.wrong  unsure  clarify');
for (const [g, f] of Object.entries(bySource)) {
  console.log(`${g.padEnd(16)} ${String(f.lines).padStart(6)}  ${pct(f.top1).padStart(6)}  ${pct(f.oosRecall).padStart(7)}  ${pct(f.confidentlyWrong).padStart(10)}  ${pct(f.unsureRate).padStart(6)}  ${pct(f.clarifyRate).padStart(7)}`);
}
const variants = printVariants('all folds');
const clauseScoringOn = options.clauseScoring;
const toggledBySource = Object.fromEntries(groups.map((g) => [g, outcomeFigures(clausePredictions.filter((p) => p.source === g))]));
console.log(`clause scoring ${clauseScoringOn ? 'off' : 'on'} instead (same models):`);
for (const [g, f] of Object.entries(toggledBySource)) {
  console.log(`${g.padEnd(16)} ${String(f.lines).padStart(6)}  ${pct(f.top1).padStart(6)}  ${pct(f.oosRecall).padStart(7)}  ${pct(f.confidentlyWrong).padStart(10)}  ${pct(f.unsureRate).padStart(6)}  ${pct(f.clarifyRate).padStart(7)}`);
}
const toggledAll = outcomeFigures(clausePredictions);
console.log(`clause scoring ${clauseScoringOn ? 'off' : 'on'}: top-1 ${pct(toggledAll.top1)}, OOS recall ${pct(toggledAll.oosRecall)}, confidently wrong ${pct(toggledAll.confidentlyWrong)}, unsure ${pct(toggledAll.unsureRate)}`);
const noFragmentBySource = Object.fromEntries(groups.map((g) => [g, outcomeFigures(noFragmentPredictions.filter((p) => p.source === g))]));
const noFragmentAll = outcomeFigures(noFragmentPredictions);
console.log('without the bare-topic-word rule (same models):');
for (const [g, f] of Object.entries(noFragmentBySource).filter(([g]) => g.includes('fragment'))) {
  console.log(`${g.padEnd(16)} ${String(f.lines).padStart(6)}  ${pct(f.top1).padStart(6)}  ${pct(f.oosRecall).padStart(7)}  ${pct(f.confidentlyWrong).padStart(10)}  ${pct(f.unsureRate).padStart(6)}  ${pct(f.clarifyRate).padStart(7)}`);
}
console.log(`without the bare-topic-word rule: top-1 ${pct(noFragmentAll.top1)}, OOS recall ${pct(noFragmentAll.oosRecall)}, confidently wrong ${pct(noFragmentAll.confidentlyWrong)}, unsure ${pct(noFragmentAll.unsureRate)}`);
const all = outcomeFigures(predictions);
const handWritten = bySource['hand-written'];
const summary = {
  folds,
  seeds,
  keyObjectCheck: !values['no-key-object'],
  overrides,
  unscored: values.unscored,
  ...all,
  top1HandWritten: handWritten?.top1 ?? null,
  falseDeclines: predictions.filter((p) => p.expect !== OOS && p.result.intentId === OOS).length,
  bySource,
  variants,
  clauseScoringToggled: { clauseScoring: !clauseScoringOn, ...toggledAll, bySource: toggledBySource },
  withoutFragmentRule: { ...noFragmentAll, bySource: noFragmentBySource },
  seconds: Math.round((performance.now() - started) / 1000),
};
console.log(`all: top-1 ${pct(all.top1)}, OOS recall ${pct(all.oosRecall)}, confidently wrong ${pct(all.confidentlyWrong)}, unsure ${pct(all.unsureRate)}, clarify ${pct(all.clarifyRate)}, wrongly declined ${summary.falseDeclines}, ${summary.seconds} s`);
console.log(JSON.stringify(summary));
