import { readFileSync } from 'node:fs';
import { normalizeText } from './electron/host/robot/text.js';
import { parseLabeledJsonl } from './electron/host/robot/evaluate.js';
const held = new Set<string>();
for (const f of ['robot/in-scope', 'robot/out-of-scope', 'robot-second/in-scope', 'robot-second/out-of-scope', 'robot-second/dev/in-scope', 'robot-second/dev/out-of-scope']) for (const q of parseLabeledJsonl(readFileSync(`tests/heldout/${f}.jsonl`, 'utf8')).questions) held.add(normalizeText(q.text));
const d = JSON.parse(readFileSync('content/hall/training-questions-english.json', 'utf8'));
let n = 0; const total = Object.values(d.questions as Record<string, { text: string }[]>).flat().length;
for (const v of Object.values(d.questions as Record<string, { text: string }[]>)) for (const x of v) if (held.has(normalizeText(x.text))) n++;
console.log('english lines', total, 'colliding with held-out', n);
