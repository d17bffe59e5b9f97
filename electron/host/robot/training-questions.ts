import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ContentError, loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import { intentCatalog, OOS, type RobotContent } from './catalog.js';

/**
 * Training-only questions for a hall's intents, beside its content package
 * (`training-questions.json`). intents.json examples are split into training,
 * calibration and held-out test; these are never split and never scored, so
 * they add what citizens say without changing what the held-out figures
 * measure. Whoever writes them must not have seen the held-out questions.
 */
export const TRAINING_QUESTIONS_FILE = 'training-questions.json';

export const TrainingQuestionsFile = z
  .object({
    version: z.string().min(1),
    /** Who wrote the questions and how: the held-out figures are only honest if the writers never saw the test lines. */
    provenance: z.string().min(1),
    /** Intent id (or "oos" for questions the robot must decline) → questions. */
    questions: z.record(z.string(), z.array(z.string().trim().min(1).max(200)).min(1)),
  })
  .strict();

export type TrainingQuestions = Readonly<Record<string, readonly string[]>>;

/** A content package with the training questions that sit beside it (none when the file is absent). */
export type TrainingContent = RobotContent & Pick<ContentPackage, 'hash'> & { trainingQuestions: TrainingQuestions; trainingQuestionsHash: string | null };

/** A parsed training-questions file checked against the intents of `content`: its questions, or every problem. */
function checkTrainingQuestions(raw: unknown, content: RobotContent): { questions: TrainingQuestions; problems: [] } | { problems: string[] } {
  const parsed = TrainingQuestionsFile.safeParse(raw);
  if (!parsed.success) return { problems: parsed.error.issues.map((issue) => `${TRAINING_QUESTIONS_FILE}: ${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  const known = new Set([...intentCatalog(content).map((entry) => entry.id), OOS]);
  const problems = Object.keys(parsed.data.questions)
    .filter((id) => !known.has(id))
    .map((id) => `${TRAINING_QUESTIONS_FILE}: questions.${id}: no such intent in this content package`);
  return problems.length > 0 ? { problems } : { questions: parsed.data.questions, problems: [] };
}

/**
 * Loads a content package for training: the package itself, validated as the
 * host validates it, and its training questions if the file exists. Throws
 * ContentError listing every problem of either.
 */
export function loadTrainingContent(dir: string): TrainingContent {
  const content = loadContent(dir);
  let text: string;
  try {
    text = readFileSync(join(dir, TRAINING_QUESTIONS_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...content, trainingQuestions: {}, trainingQuestionsHash: null };
    throw new ContentError(dir, [`${TRAINING_QUESTIONS_FILE}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ContentError(dir, [`${TRAINING_QUESTIONS_FILE}: is not valid JSON (${(err as Error).message})`]);
  }
  const checked = checkTrainingQuestions(raw, content);
  if (!('questions' in checked)) throw new ContentError(dir, checked.problems);
  return { ...content, trainingQuestions: checked.questions, trainingQuestionsHash: createHash('sha256').update(text).digest('hex') };
}
