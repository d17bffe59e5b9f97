/**
 * Benchmarks 浏浏's brain (classifier + the content's scope and clarification
 * rules): load time, single-question latency, accuracy on the held-out sets of
 * tests/heldout/robot (written apart from all training data) and on the
 * internal test split, and the memory the model adds.
 *   npx tsx scripts/bench-intent.ts [--model content/model] [--content content/hall] [--rounds 5]
 * Targets: load ≤ 500 ms, p95 ≤ 10 ms, held-out in-scope top-1 ≥ 96%, OOS recall ≥ 90%,
 * confidently wrong ≤ 3% of all questions. Last line: one JSON object.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadTrainingContent } from '../electron/host/robot/training-questions.js';
import { readFileSync } from 'node:fs';
import { RobotBrain } from '../electron/host/robot/brain.js';
import { buildDataset } from '../electron/host/robot/dataset.js';
import { parseLabeledJsonl, percentile, predictAll, summarize, withoutNearTwins } from '../electron/host/robot/evaluate.js';
import { ensureCpuBackend } from '../electron/host/robot/model.js';
import { DEFAULT_TRAIN_OPTIONS } from '../electron/host/robot/train.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'content/model' },
    content: { type: 'string', default: 'content/hall' },
    rounds: { type: 'string', default: '5' },
    heldout: { type: 'string', default: 'tests/heldout/robot' },
  },
});
const content = loadTrainingContent(resolve(values.content));
const dataset = buildDataset(content, DEFAULT_TRAIN_OPTIONS);
const heldout = dataset.test.map((item) => ({ text: item.text, expect: item.label }));
const unseen = new Set([...dataset.calib, ...dataset.test].map((item) => item.text));
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
// Memory deltas mean nothing without a full collection before each reading; expose gc for this process.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const collect = (): void => {
  gc();
  gc();
};

// The backend is shared by every tfjs user in the host, so it is not charged to the model.
await ensureCpuBackend();
collect();
const before = process.memoryUsage();
const classifier = await RobotBrain.load({ modelDir: resolve(values.model), content, lexicalExclude: unseen });
collect();
const after = process.memoryUsage();
const health = classifier.health();

classifier.decide('你好');
const rounds = Math.max(1, Number(values.rounds) || 5);
const latencies: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const p of predictAll(heldout, (text) => classifier.decide(text))) latencies.push(p.ms);
}
latencies.sort((a, b) => a - b);
const figures = summarize(predictAll(heldout, (text) => classifier.decide(text)));
const heldoutExamples = dataset.test.filter((i) => i.source !== 'generated-heldout').map((i) => ({ text: i.text, expect: i.label }));
const examples = summarize(predictAll(heldoutExamples, (text) => classifier.decide(text)));
const trainingQuestions = dataset.train.filter((i) => i.source === 'training-question').map((i) => i.text);
const examplesWithoutNearTwins = summarize(predictAll(withoutNearTwins(heldoutExamples, trainingQuestions), (text) => classifier.decide(text)));
// The held-out sets written apart from all training data: the measure of record.
const heldoutSet = (file: string) => parseLabeledJsonl(readFileSync(resolve(values.heldout, file), 'utf8')).questions;
const apart = summarize(predictAll([...heldoutSet('in-scope.jsonl'), ...heldoutSet('out-of-scope.jsonl')], (text) => classifier.decide(text)));
const long = (() => {
  const started = performance.now();
  classifier.decide('身份证'.repeat(3400));
  return performance.now() - started;
})();

const result = {
  modelState: health.state,
  loadMs: Math.round(classifier.loadMs * 10) / 10,
  latencyMs: { p50: Math.round(percentile(latencies, 50) * 1000) / 1000, p95: Math.round(percentile(latencies, 95) * 1000) / 1000, max: Math.round((latencies.at(-1) ?? 0) * 1000) / 1000 },
  longInputMs: Math.round(long * 1000) / 1000,
  heldoutApart: { inScope: apart.inScope, outOfScope: apart.outOfScope, top1: apart.top1, oosRecall: apart.oosRecall, oosPrecision: apart.oosPrecision, confidentlyWrong: apart.confidentlyWrong, unsureRate: apart.unsureRate, clarifyRate: apart.clarifyRate, falseDeclines: apart.falseDeclines },
  heldout: { lines: heldout.length, top1: figures.top1, top1Examples: examples.top1, top1ExamplesWithoutNearTwins: examplesWithoutNearTwins.top1, oosRecall: figures.oosRecall, oosPrecision: figures.oosPrecision, falseDeclines: figures.falseDeclines },
  memoryMb: { heapDelta: mb(after.heapUsed - before.heapUsed), rssDelta: mb(after.rss - before.rss), externalDelta: mb(after.external + after.arrayBuffers - before.external - before.arrayBuffers) },
  targets: {
    loadMs: classifier.loadMs <= 500,
    p95: percentile(latencies, 95) <= 10,
    top1: apart.top1 >= 0.96,
    oosRecall: apart.oosRecall >= 0.9,
    confidentlyWrong: apart.confidentlyWrong <= 0.03,
  },
};

const row = (name: string, value: string, target: string, ok?: boolean): void => console.log(`${name.padEnd(26)}${value.padEnd(22)}${target.padEnd(12)}${ok === undefined ? '' : ok ? 'ok' : 'MISSED'}`);
row('measure', 'value', 'target');
row('model', `${health.state}${health.reason ? ` (${health.reason})` : ''}`, '');
row('load', `${result.loadMs} ms`, '≤ 500 ms', result.targets.loadMs);
row('latency p50 / p95', `${result.latencyMs.p50} / ${result.latencyMs.p95} ms`, '≤ 10 ms', result.targets.p95);
row('10,000-char input', `${result.longInputMs} ms`, '');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
row('tests/heldout top-1', `${pct(apart.top1)} of ${apart.inScope}`, '≥ 96%', result.targets.top1);
row('tests/heldout OOS recall', `${pct(apart.oosRecall)} of ${apart.outOfScope}`, '≥ 90%', result.targets.oosRecall);
row('confidently wrong', `${pct(apart.confidentlyWrong)} of ${apart.inScope + apart.outOfScope}`, '≤ 3%', result.targets.confidentlyWrong);
row('unsure / clarify', `${pct(apart.unsureRate)} / ${pct(apart.clarifyRate)}`, '');
row('split top-1', `${(figures.top1 * 100).toFixed(1)}% of ${figures.inScope}`, '');
row('  hand-written only', `${(examples.top1 * 100).toFixed(1)}% of ${examples.inScope}`, '');
row('  … no near twin trained', `${(examplesWithoutNearTwins.top1 * 100).toFixed(1)}% of ${examplesWithoutNearTwins.inScope}`, '');
row('split OOS recall', `${(figures.oosRecall * 100).toFixed(1)}% of ${figures.outOfScope}`, '');
row('heap / RSS added', `${result.memoryMb.heapDelta} / ${result.memoryMb.rssDelta} MB`, '');
console.log(JSON.stringify(result));
classifier.dispose();
