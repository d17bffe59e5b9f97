import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intentCatalog } from './catalog.js';
import { parseLabeledJsonl } from './evaluate.js';
import { normalizeText } from './text.js';
import { asTrainingQuestion, loadTrainingContent } from './training-questions.js';

/**
 * tests/heldout/robot holds questions written apart from every training
 * question (tests/heldout/robot/README.md). They measure; they must never
 * train. This fails if any held-out line, normalised as the robot reads it,
 * is also a training text of the demo hall: a training question, an
 * intents.json example or out-of-scope utterance.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const HELDOUT = join(ROOT, 'tests', 'heldout', 'robot');
/** The second writer's set (tests/heldout/robot-second): a test split, and a dev split that may be inspected. */
const SECOND = join(ROOT, 'tests', 'heldout', 'robot-second');
const SECOND_FILES = ['in-scope.jsonl', 'out-of-scope.jsonl', 'dev/in-scope.jsonl', 'dev/out-of-scope.jsonl'];
const heldout = (file: string, dir = HELDOUT): string[] => parseLabeledJsonl(readFileSync(join(dir, file), 'utf8')).questions.map((q) => q.text);

/** Every text the demo hall's model can train on, normalised. */
export function trainingTexts(dir: string): Set<string> {
  const content = loadTrainingContent(dir);
  return new Set(
    [
      ...Object.values(content.trainingQuestions).flatMap((entries) => entries.map((entry) => asTrainingQuestion(entry).text)),
      ...intentCatalog(content).flatMap((entry) => entry.examples),
      ...content.intents.outOfScope,
    ].map(normalizeText),
  );
}

describe('held-out robot questions', () => {
  const training = trainingTexts(join(ROOT, 'content', 'hall'));

  it('are the sizes the issue asks for (≥ 600 in scope, ≥ 300 out of scope) and every line parses', () => {
    for (const file of ['in-scope.jsonl', 'out-of-scope.jsonl']) expect(parseLabeledJsonl(readFileSync(join(HELDOUT, file), 'utf8')).errors).toEqual([]);
    expect(heldout('in-scope.jsonl').length).toBeGreaterThanOrEqual(600);
    expect(heldout('out-of-scope.jsonl').length).toBeGreaterThanOrEqual(300);
  });

  it('never appear in the training data', () => {
    const leaked = [...heldout('in-scope.jsonl'), ...heldout('out-of-scope.jsonl')].filter((text) => training.has(normalizeText(text)));
    expect(leaked.length).toBe(0);
  });

  it('the second writer\'s set parses, covers every intent, and none of it (test or dev split) appears in the training data', () => {
    for (const file of SECOND_FILES) expect(parseLabeledJsonl(readFileSync(join(SECOND, file), 'utf8')).errors).toEqual([]);
    const inScope = ['in-scope.jsonl', 'dev/in-scope.jsonl'].flatMap((file) => parseLabeledJsonl(readFileSync(join(SECOND, file), 'utf8')).questions);
    const covered = new Set(inScope.map((q) => q.expect));
    expect(intentCatalog(loadTrainingContent(join(ROOT, 'content', 'hall'))).filter((entry) => !covered.has(entry.id))).toEqual([]);
    const leaked = SECOND_FILES.flatMap((file) => heldout(file, SECOND)).filter((text) => training.has(normalizeText(text)));
    expect(leaked.length).toBe(0);
  });

  it('the check itself catches a held-out line copied into training', () => {
    const [line] = heldout('out-of-scope.jsonl');
    expect(line).toBeDefined();
    expect(training.has(normalizeText(`${line ?? ''}。`))).toBe(false);
    expect(new Set([...training, normalizeText(line ?? '')]).has(normalizeText(`  ${line ?? ''}！`))).toBe(true);
  });
});
