import { readFileSync } from 'node:fs';
import { normalizeText } from './electron/host/robot/text.js';
import { parseLabeledJsonl } from './electron/host/robot/evaluate.js';
const held = new Set<string>();
for (const f of ['in-scope', 'out-of-scope', 'dev/in-scope', 'dev/out-of-scope']) for (const q of parseLabeledJsonl(readFileSync(`tests/heldout/robot-second/${f}.jsonl`, 'utf8')).questions) held.add(normalizeText(q.text));
const counts: Record<string, number> = {};
for (const f of ['training-questions.json', 'training-questions-extra.json', 'training-questions-styles.json', 'training-questions-citizens.json', 'training-questions-oos.json']) {
  const d = JSON.parse(readFileSync(`content/hall/${f}`, 'utf8'));
  for (const [k, v] of Object.entries(d.questions as Record<string, unknown[]>)) for (const x of v) { const t = typeof x === 'string' ? x : (x as { text: string }).text; if (held.has(normalizeText(t))) counts[f] = (counts[f] ?? 0) + 1; }
}
const i = JSON.parse(readFileSync('content/hall/intents.json', 'utf8'));
for (const it of i.intents) for (const e of it.examples) if (held.has(normalizeText(e))) counts['examples'] = (counts['examples'] ?? 0) + 1;
for (const e of i.outOfScope) if (held.has(normalizeText(e))) counts['outOfScope'] = (counts['outOfScope'] ?? 0) + 1;
console.log(counts);
