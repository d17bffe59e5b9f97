/**
 * Evaluates 浏浏's intent classifier on a JSONL file.
 *   npx tsx scripts/eval-intent.ts FILE.jsonl [FILE.jsonl …] [--out PRED.jsonl] [--model content/model] [--content content/hall]
 * Lines: {"text":"…","expect":"<intent id>"} or {"text":"…","expect":"oos"}.
 * Lines may carry a "source" (hand-written, dialect, english…): figures are also given per source.
 * Questions go through the kiosk's brain (classifier + the content's scope and
 * clarification rules). Prints top-1 over in-scope lines, OOS precision/recall,
 * the confidently-wrong, unsure and clarification rates (overall and per
 * source), the worst confusions and p50/p95 latency; the last line is one JSON object.
 * --out writes one line per question: text, expect, source, predicted, confidence, unsure, clarify, declineTopic, top3.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadContent } from '../electron/host/content/loader.js';
import { RobotBrain } from '../electron/host/robot/brain.js';
import { parseLabeledJsonl, predictAll, summarize } from '../electron/host/robot/evaluate.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    model: { type: 'string', default: 'content/model' },
    content: { type: 'string', default: 'content/hall' },
  },
});
if (positionals.length === 0) {
  console.error('usage: npx tsx scripts/eval-intent.ts FILE.jsonl [FILE.jsonl …] [--out PRED.jsonl] [--model DIR] [--content DIR]');
  process.exit(2);
}

// Several files are scored together (e.g. the in-scope and out-of-scope held-out sets in one run).
const parsed = positionals.map((file) => ({ file, ...parseLabeledJsonl(readFileSync(resolve(file), 'utf8')) }));
const questions = parsed.flatMap((p) => p.questions);
const errors = parsed.flatMap((p) => p.errors.map((error) => `${p.file}: ${error}`));
for (const error of errors) console.error(`${error} (skipped)`);
const content = loadContent(resolve(values.content));
const classifier = await RobotBrain.load({ modelDir: resolve(values.model), content });
const health = classifier.health();
if (health.state !== 'ok') console.error(`model: ${health.state} — ${health.reason ?? ''}`);

// One warm-up call: the first tfjs predict compiles kernels and would distort p95.
classifier.decide('你好');
const predictions = predictAll(questions, (text) => classifier.decide(text));
const figures = summarize(predictions);

if (values.out !== undefined) {
  const lines = predictions.map((p) =>
    JSON.stringify({
      text: p.text,
      expect: p.expect,
      ...(p.source === undefined ? {} : { source: p.source }),
      predicted: p.result.intentId,
      confidence: Math.round(p.result.confidence * 1e4) / 1e4,
      unsure: p.result.unsure,
      ...(p.result.clarify ? { clarify: p.result.clarify.map((c) => c.intentId) } : {}),
      ...(p.result.declineTopic === undefined ? {} : { declineTopic: p.result.declineTopic }),
      top3: p.result.top3.map((c) => ({ intentId: c.intentId, confidence: Math.round(c.confidence * 1e4) / 1e4 })),
    }),
  );
  writeFileSync(resolve(values.out), `${lines.join('\n')}\n`);
}

console.log(`lines          ${questions.length} (${figures.inScope} in scope, ${figures.outOfScope} out of scope${errors.length ? `, ${errors.length} skipped` : ''})`);
console.log(`model          ${health.state}${health.reason ? ` (${health.reason})` : ''}, loaded in ${classifier.loadMs.toFixed(0)} ms`);
console.log(`top-1          ${(figures.top1 * 100).toFixed(1)}% of in-scope lines`);
console.log(`OOS precision  ${(figures.oosPrecision * 100).toFixed(1)}%   recall ${(figures.oosRecall * 100).toFixed(1)}%   wrongly declined ${figures.falseDeclines}`);
console.log(`conf. wrong    ${(figures.confidentlyWrong * 100).toFixed(1)}% of lines (a wrong answer above the unsure threshold, or any answer to an out-of-scope line)`);
console.log(`unsure         ${(figures.unsureRate * 100).toFixed(1)}% of lines (suggestions or a clarifying question); clarifying question ${(figures.clarifyRate * 100).toFixed(1)}%`);
const sources = Object.entries(figures.bySource);
if (sources.length > 0) {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);
  console.log('source            lines    top-1  OOS rec  c.wrong   unsure  clarify');
  for (const [source, f] of sources) console.log(`  ${source.padEnd(15)} ${String(f.lines).padStart(5)}  ${pct(f.top1)}  ${pct(f.oosRecall)}  ${pct(f.confidentlyWrong)}  ${pct(f.unsureRate)}  ${pct(f.clarifyRate)}`);
}
console.log(`latency        p50 ${figures.latencyMs.p50.toFixed(2)} ms   p95 ${figures.latencyMs.p95.toFixed(2)} ms`);
if (figures.confusions.length > 0) {
  console.log('worst confusions (expected → predicted × count):');
  for (const c of figures.confusions) console.log(`  ${c.expect} → ${c.predicted} × ${c.count}`);
}
console.log(JSON.stringify({ lines: questions.length, skipped: errors.length, modelState: health.state, ...figures }));
classifier.dispose();
