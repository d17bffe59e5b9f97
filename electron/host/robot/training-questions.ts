import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ContentError, loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import { intentCatalog, OOS, type RobotContent } from './catalog.js';
import { GLOSSARY_FILE, GlossaryFile, glossaryPairs, glossaryProblems, type GlossaryPair } from './glossary.js';

/**
 * Training-only questions for a hall's intents, beside its content package
 * (`training-questions.json`). intents.json examples are split into training,
 * calibration and held-out test; these are never split and never scored, so
 * they add what citizens say without changing what the held-out figures
 * measure. Whoever writes them must not have seen the held-out questions.
 */
export const TRAINING_QUESTIONS_FILE = 'training-questions.json';
/**
 * Every training-questions file a package may hold, each written apart and
 * with its own provenance: the intents' questions, the same in the ways
 * citizens talk (dialect, mixed Chinese and English, typos, rambling,
 * fragments, English), questions the hall does not answer (by scope topic),
 * more English, rambling, typo and mixed-language questions for the styles
 * the robot understood worst, and long rambling stories (in and out of scope),
 * kiosk fragments and English as citizens ask them (issue #16), and English
 * questions for every intent (before, 61 intents had none, and English
 * questions about them were declined).
 */
export const TRAINING_QUESTIONS_FILES = [
  TRAINING_QUESTIONS_FILE,
  'training-questions-styles.json',
  'training-questions-oos.json',
  'training-questions-extra.json',
  'training-questions-citizens.json',
  'training-questions-english.json',
] as const;

const QuestionText = z.string().trim().min(1).max(200);
/** A question with what its writer noted: how it is asked, and for "oos" the scope topic and whether it sounds administrative. */
export const TrainingQuestion = z
  .object({
    text: QuestionText,
    style: z.string().min(1).optional(),
    topic: z.string().min(1).optional(),
    nearMiss: z.boolean().optional(),
  })
  .strict();
export type TrainingQuestion = z.infer<typeof TrainingQuestion>;

/**
 * A short question that could mean several intents ("补办", "办证"): as a
 * training line its label would be arbitrary, so it is never trained; it is
 * data for a rule that offers the candidates instead of guessing.
 */
export const AmbiguousFragment = z
  .object({
    text: QuestionText,
    /** The intents it could mean (at least two, each an intent of the package). */
    candidates: z.array(z.string().min(1)).min(2),
  })
  .strict();
export type AmbiguousFragment = z.infer<typeof AmbiguousFragment>;

export const TrainingQuestionsFile = z
  .object({
    version: z.string().min(1),
    /** Who wrote the questions and how: the held-out figures are only honest if the writers never saw the test lines. */
    provenance: z.string().min(1),
    /** Intent id (or "oos" for questions the robot must decline) → questions. */
    questions: z.record(z.string(), z.array(z.union([QuestionText, TrainingQuestion])).min(1)),
    /** Fragments that do not mean one intent: validated, never trained. */
    ambiguous: z.array(AmbiguousFragment).optional(),
  })
  .strict();

export type TrainingQuestions = Readonly<Record<string, readonly (string | TrainingQuestion)[]>>;

/** A question entry as an object (plain strings have no notes). */
export const asTrainingQuestion = (entry: string | TrainingQuestion): TrainingQuestion => (typeof entry === 'string' ? { text: entry } : entry);

/**
 * A content package with the training questions that sit beside it (none when
 * the file is absent) and its glossary's rewrites (glossary.json; [] when absent).
 */
export type TrainingContent = RobotContent &
  Pick<ContentPackage, 'hash'> & {
    trainingQuestions: TrainingQuestions;
    trainingQuestionsHash: string | null;
    glossary: GlossaryPair[];
    /** Every file's ambiguous fragments, in file order: not training data. */
    ambiguousFragments: AmbiguousFragment[];
  };

/** A parsed training-questions file checked against the intents and scope topics of `content`: its questions, or every problem. */
function checkTrainingQuestions(
  file: string,
  raw: unknown,
  content: RobotContent,
): { questions: TrainingQuestions; ambiguous: AmbiguousFragment[]; problems: [] } | { problems: string[] } {
  const parsed = TrainingQuestionsFile.safeParse(raw);
  if (!parsed.success) return { problems: parsed.error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  const known = new Set([...intentCatalog(content).map((entry) => entry.id), OOS]);
  const topics = new Set([...(content.intents.scope?.topics ?? []).map((topic) => topic.id), 'other']);
  const problems = Object.keys(parsed.data.questions)
    .filter((id) => !known.has(id))
    .map((id) => `${file}: questions.${id}: no such intent in this content package`);
  for (const [id, entries] of Object.entries(parsed.data.questions)) {
    entries.forEach((entry, i) => {
      const topic = asTrainingQuestion(entry).topic;
      if (topic === undefined) return;
      if (id !== OOS) problems.push(`${file}: questions.${id}.${i}: only "oos" questions have a topic`);
      else if (!topics.has(topic)) problems.push(`${file}: questions.${id}.${i}: topic "${topic}" is not a scope topic of intents.json (or "other")`);
    });
  }
  const ambiguous = parsed.data.ambiguous ?? [];
  ambiguous.forEach(({ candidates }, i) => {
    for (const id of candidates) if (id === OOS || !known.has(id)) problems.push(`${file}: ambiguous.${i}: candidate "${id}" is not an intent of this content package`);
    if (new Set(candidates).size !== candidates.length) problems.push(`${file}: ambiguous.${i}: a candidate is listed twice`);
  });
  return problems.length > 0 ? { problems } : { questions: parsed.data.questions, ambiguous, problems: [] };
}

/** One training-questions file: absent → undefined; unreadable, not JSON or invalid → its problems. */
function readTrainingQuestions(
  dir: string,
  file: string,
  content: RobotContent,
): { questions?: TrainingQuestions; ambiguous?: AmbiguousFragment[]; text?: string; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { problems: [] };
    return { problems: [`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { problems: [`${file}: is not valid JSON (${(err as Error).message})`] };
  }
  const checked = checkTrainingQuestions(file, raw, content);
  return 'questions' in checked ? { questions: checked.questions, ambiguous: checked.ambiguous, text, problems: [] } : { problems: checked.problems };
}

/** The package's glossary.json as rewrite pairs: absent → []; unreadable, not JSON or invalid → its problems. */
export function readGlossary(dir: string): { pairs: GlossaryPair[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(join(dir, GLOSSARY_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { pairs: [], problems: [] };
    return { pairs: [], problems: [`${GLOSSARY_FILE}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { pairs: [], problems: [`${GLOSSARY_FILE}: is not valid JSON (${(err as Error).message})`] };
  }
  const parsed = GlossaryFile.safeParse(raw);
  if (!parsed.success) return { pairs: [], problems: parsed.error.issues.map((issue) => `${GLOSSARY_FILE}: ${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  const problems = glossaryProblems(parsed.data.entries).map((problem) => `${GLOSSARY_FILE}: ${problem}`);
  return problems.length > 0 ? { pairs: [], problems } : { pairs: glossaryPairs(parsed.data.entries), problems: [] };
}

/**
 * Loads a content package for training: the package itself, validated as the
 * host validates it, and the training questions of every file in
 * TRAINING_QUESTIONS_FILES that exists, merged per intent (their ambiguous
 * fragments apart, never as training lines), and the glossary.
 * Throws ContentError listing every problem of any of them.
 */
export function loadTrainingContent(dir: string): TrainingContent {
  const content = loadContent(dir);
  const merged: Record<string, (string | TrainingQuestion)[]> = {};
  const ambiguousFragments: AmbiguousFragment[] = [];
  const hash = createHash('sha256');
  const problems: string[] = [];
  let found = false;
  for (const file of TRAINING_QUESTIONS_FILES) {
    const read = readTrainingQuestions(dir, file, content);
    problems.push(...read.problems);
    if (!read.questions || read.text === undefined) continue;
    found = true;
    hash.update(read.text);
    for (const [id, entries] of Object.entries(read.questions)) (merged[id] ??= []).push(...entries);
    ambiguousFragments.push(...(read.ambiguous ?? []));
  }
  const glossary = readGlossary(dir);
  problems.push(...glossary.problems);
  if (problems.length > 0) throw new ContentError(dir, problems);
  return { ...content, trainingQuestions: merged, trainingQuestionsHash: found ? hash.digest('hex') : null, glossary: glossary.pairs, ambiguousFragments };
}
