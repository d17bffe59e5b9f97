/**
 * Evaluates 浏浏's intent classifier on a JSONL file.
 *   npx tsx scripts/eval-intent.ts FILE.jsonl [--out PRED.jsonl] [--model content/model] [--content content/hall]
 * Lines: {"text":"…","expect":"<intent id>"} or {"text":"…","expect":"oos"}.
 * Prints top-1 over in-scope lines, OOS precision/recall at the shipped
 * threshold, the worst confusions and p50/p95 latency; the last line is one JSON object.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadContent } from '../electron/host/content/loader.js';
import { IntentClassifier } from '../electron/host/robot/classifier.js';
import { parseLabeledJsonl, predictAll, summarize } from '../electron/host/robot/evaluate.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    model: { type: 'string', default: 'content/model' },
    content: { type: 'string', default: 'content/hall' },
  },
});
const file = positionals[0];
if (file === undefined) {
  console.error('usage: npx tsx scripts/eval-intent.ts FILE.jsonl [--out PRED.jsonl] [--model DIR] [--content DIR]');
  process.exit(2);
}

const { questions, errors } = parseLabeledJsonl(readFileSync(resolve(file), 'utf8'));
for (const error of errors) console.error(`${file}: ${error} (skipped)`);
const content = loadContent(resolve(values.content));
const classifier = await IntentClassifier.load({ modelDir: resolve(values.model), content });
const health = classifier.health();
if (health.state !== 'ok') console.error(`model: ${health.state} — ${health.reason ?? ''}`);

// One warm-up call: the first tfjs predict compiles kernels and would distort p95.
classifier.classify('你好');
const predictions = predictAll(questions, (text) => classifier.classify(text));
const figures = summarize(predictions);

if (values.out !== undefined) {
  const lines = predictions.map((p) =>
    JSON.stringify({ text: p.text, expect: p.expect, predicted: p.result.intentId, confidence: Math.round(p.result.confidence * 1e4) / 1e4, unsure: p.result.unsure, top3: p.result.top3.map((c) => ({ intentId: c.intentId, confidence: Math.round(c.confidence * 1e4) / 1e4 })) }),
  );
  writeFileSync(resolve(values.out), `${lines.join('\n')}\n`);
}

console.log(`lines          ${questions.length} (${figures.inScope} in scope, ${figures.outOfScope} out of scope${errors.length ? `, ${errors.length} skipped` : ''})`);
console.log(`model          ${health.state}${health.reason ? ` (${health.reason})` : ''}, loaded in ${classifier.loadMs.toFixed(0)} ms`);
console.log(`top-1          ${(figures.top1 * 100).toFixed(1)}% of in-scope lines`);
console.log(`OOS precision  ${(figures.oosPrecision * 100).toFixed(1)}%   recall ${(figures.oosRecall * 100).toFixed(1)}%   wrongly declined ${figures.falseDeclines}`);
console.log(`unsure         ${(figures.unsureRate * 100).toFixed(1)}% of lines`);
console.log(`latency        p50 ${figures.latencyMs.p50.toFixed(2)} ms   p95 ${figures.latencyMs.p95.toFixed(2)} ms`);
if (figures.confusions.length > 0) {
  console.log('worst confusions (expected → predicted × count):');
  for (const c of figures.confusions) console.log(`  ${c.expect} → ${c.predicted} × ${c.count}`);
}
console.log(JSON.stringify({ lines: questions.length, skipped: errors.length, modelState: health.state, ...figures }));
classifier.dispose();
