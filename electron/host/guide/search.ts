import type { GuideSearchHit } from '../../contract/index.js';
import type { RobotContent } from '../robot/catalog.js';
import { buildVocabulary, searchByPinyin, type VocabularyEntry, type VocabularyKind } from '../robot/pinyin-search.js';
import { summarize, type GuideContent } from './catalog.js';

/**
 * Guide search (pure): the robot's pinyin vocabulary (service names,
 * keywords, departments; Chinese substring, full pinyin, initials) folded
 * into one ranked list of services. A service's own name beats a keyword
 * that points at it by a little; a department match lists that department's
 * services well below any direct match.
 */
export interface GuideSearchIndex {
  content: GuideContent;
  vocabulary: VocabularyEntry[];
}

const MATCHED_BY = { service: 'name', keyword: 'keyword', department: 'department' } as const;
type GuideKind = keyof typeof MATCHED_BY;

/** Added to the vocabulary match score: name > keyword ≫ department. */
const KIND_BONUS: Record<GuideKind, number> = { service: 20, keyword: 0, department: -400 };

function isGuideKind(kind: VocabularyKind): kind is GuideKind {
  return kind in MATCHED_BY;
}

export function buildGuideSearchIndex(content: RobotContent): GuideSearchIndex {
  // Facilities are the robot's business, not the guide's.
  return { content, vocabulary: buildVocabulary(content).filter((entry) => isGuideKind(entry.kind)) };
}

export function searchServices(index: GuideSearchIndex, query: string, limit = 20): GuideSearchHit[] {
  const best = new Map<string, { score: number; matched: string; kind: GuideKind }>();
  for (const match of searchByPinyin(index.vocabulary, query, index.vocabulary.length)) {
    const { kind } = match.entry;
    if (!isGuideKind(kind)) continue;
    const serviceIds =
      kind === 'department' ? index.content.services.services.filter((service) => match.entry.ids.includes(service.departmentId)).map((service) => service.id) : match.entry.ids;
    const score = match.score + KIND_BONUS[kind];
    for (const id of serviceIds) {
      const current = best.get(id);
      if (current === undefined || score > current.score) best.set(id, { score, matched: match.entry.text, kind });
    }
  }
  const order = new Map(index.content.services.services.map((service, position) => [service.id, position]));
  return [...best.entries()]
    .sort(([a, x], [b, y]) => y.score - x.score || (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .slice(0, limit)
    .flatMap(([id, hit]) => {
      const service = index.content.services.services.find((candidate) => candidate.id === id);
      return service === undefined ? [] : [{ service: summarize(index.content, service), matched: hit.matched, matchedBy: MATCHED_BY[hit.kind] }];
    });
}
