import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { answersWithoutEnglish, guideEnglishProblems, missingEnglish } from './english.js';
import { checkInvariants } from './invariants.js';
import { Hall, Intents, Services, type ContentPackage } from './schema.js';

/** Every problem of a content package, reported together. */
export class ContentError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(`content package ${dir} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ContentError';
  }
}

const FILES = ['hall.json', 'services.json', 'intents.json'] as const;

/** Loads and validates a content package directory; throws ContentError listing every problem. */
export function loadContent(dir: string): ContentPackage {
  const problems: string[] = [];
  const hash = createHash('sha256');
  const parsed: Record<(typeof FILES)[number], unknown> = { 'hall.json': undefined, 'services.json': undefined, 'intents.json': undefined };
  for (const file of FILES) {
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch (err) {
      problems.push(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      continue;
    }
    hash.update(text);
    try {
      parsed[file] = JSON.parse(text) as unknown;
    } catch (err) {
      problems.push(`${file}: is not valid JSON (${(err as Error).message})`);
    }
  }
  const validate = <S extends z.ZodType>(file: (typeof FILES)[number], schema: S): z.infer<S> | undefined => {
    if (parsed[file] === undefined) return undefined;
    const result = schema.safeParse(parsed[file]);
    if (result.success) return result.data;
    for (const issue of result.error.issues) problems.push(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return undefined;
  };
  const hall = validate('hall.json', Hall);
  const services = validate('services.json', Services);
  const intents = validate('intents.json', Intents);
  if (hall && services && intents) {
    // Every answer the robot speaks has its English (short, hand-written), so English mode never falls back to a template.
    const withoutEnglish = answersWithoutEnglish(intents).map((id) => `intents.json: intent ${id} has no answerEn`);
    problems.push(...checkInvariants(hall, services, intents), ...missingEnglish(hall, services), ...guideEnglishProblems(hall, services), ...withoutEnglish);
  }
  if (problems.length > 0 || !hall || !services || !intents) throw new ContentError(dir, problems);
  return { hall, services, intents, hash: hash.digest('hex'), dir };
}
