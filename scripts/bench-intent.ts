/**
 * Benchmarks 浏浏's intent classifier: load time, single-question latency,
 * held-out accuracy and the memory the model adds.
 *   npx tsx scripts/bench-intent.ts [--model content/model] [--content content/hall] [--rounds 5]
 * Targets: load ≤ 500 ms, p95 ≤ 10 ms, held-out top-1 ≥ 95%, OOS recall ≥ 90%. Last line: one JSON object.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadTrainingContent } from '../electron/host/robot/training-questions.js';
import { IntentClassifier } from '../electron/host/robot/classifier.js';
import { buildDataset } from '../electron/host/robot/dataset.js';
import { percentile, predictAll, summarize, withoutNearTwins } from '../electron/host/robot/evaluate.js';
import { ensureCpuBackend } from '../electron/host/robot/model.js';
import { DEFAULT_TRAIN_OPTIONS } from '../electron/host/robot/train.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'content/model' },
    content: { type: 'string', default: 'content/hall' },
    rounds: { type: 'string', default: '5' },
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
const classifier = await IntentClassifier.load({ modelDir: resolve(values.model), content, lexicalExclude: unseen });
collect();
const after = process.memoryUsage();
const health = classifier.health();

classifier.classify('你好');
const rounds = Math.max(1, Number(values.rounds) || 5);
const latencies: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const p of predictAll(heldout, (text) => classifier.classify(text))) latencies.push(p.ms);
}
latencies.sort((a, b) => a - b);
const figures = summarize(predictAll(heldout, (text) => classifier.classify(text)));
const heldoutExamples = dataset.test.filter((i) => i.source !== 'generated-heldout').map((i) => ({ text: i.text, expect: i.label }));
const examples = summarize(predictAll(heldoutExamples, (text) => classifier.classify(text)));
const trainingQuestions = dataset.train.filter((i) => i.source === 'training-question').map((i) => i.text);
const examplesWithoutNearTwins = summarize(predictAll(withoutNearTwins(heldoutExamples, trainingQuestions), (text) => classifier.classify(text)));
const long = (() => {
  const started = performance.now();
  classifier.classify('身份证'.repeat(3400));
  return performance.now() - started;
})();

const result = {
  modelState: health.state,
  loadMs: Math.round(classifier.loadMs * 10) / 10,
  latencyMs: { p50: Math.round(percentile(latencies, 50) * 1000) / 1000, p95: Math.round(percentile(latencies, 95) * 1000) / 1000, max: Math.round((latencies.at(-1) ?? 0) * 1000) / 1000 },
  longInputMs: Math.round(long * 1000) / 1000,
  heldout: { lines: heldout.length, top1: figures.top1, top1Examples: examples.top1, top1ExamplesWithoutNearTwins: examplesWithoutNearTwins.top1, oosRecall: figures.oosRecall, oosPrecision: figures.oosPrecision, falseDeclines: figures.falseDeclines },
  memoryMb: { heapDelta: mb(after.heapUsed - before.heapUsed), rssDelta: mb(after.rss - before.rss), externalDelta: mb(after.external + after.arrayBuffers - before.external - before.arrayBuffers) },
  targets: {
    loadMs: classifier.loadMs <= 500,
    p95: percentile(latencies, 95) <= 10,
    top1: figures.top1 >= 0.95,
    oosRecall: figures.oosRecall >= 0.9,
  },
};

const row = (name: string, value: string, target: string, ok?: boolean): void => console.log(`${name.padEnd(26)}${value.padEnd(22)}${target.padEnd(12)}${ok === undefined ? '' : ok ? 'ok' : 'MISSED'}`);
row('measure', 'value', 'target');
row('model', `${health.state}${health.reason ? ` (${health.reason})` : ''}`, '');
row('load', `${result.loadMs} ms`, '≤ 500 ms', result.targets.loadMs);
row('latency p50 / p95', `${result.latencyMs.p50} / ${result.latencyMs.p95} ms`, '≤ 10 ms', result.targets.p95);
row('10,000-char input', `${result.longInputMs} ms`, '');
row('held-out top-1', `${(figures.top1 * 100).toFixed(1)}% of ${figures.inScope}`, '≥ 95%', result.targets.top1);
row('  hand-written only', `${(examples.top1 * 100).toFixed(1)}% of ${examples.inScope}`, '');
row('  … no near twin trained', `${(examplesWithoutNearTwins.top1 * 100).toFixed(1)}% of ${examplesWithoutNearTwins.inScope}`, '');
row('held-out OOS recall', `${(figures.oosRecall * 100).toFixed(1)}% of ${figures.outOfScope}`, '≥ 90%', result.targets.oosRecall);
row('held-out OOS precision', `${(figures.oosPrecision * 100).toFixed(1)}%`, '');
row('heap / RSS added', `${result.memoryMb.heapDelta} / ${result.memoryMb.rssDelta} MB`, '');
console.log(JSON.stringify(result));
classifier.dispose();
