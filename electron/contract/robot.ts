import { z } from 'zod';
import { method, noParams, ok } from './define.js';

/**
 * The guide robot 浏浏 as the renderer sees it: ask a question (typed or a
 * tapped chip), get an answer composed from the hall content with a floor map
 * of the destination; pinyin candidates for the on-screen keyboard; and help
 * requests — a citizen calls staff, staff see and resolve them behind the
 * staff PIN session (the same guard as the sync controls).
 */

/** Where to go: a floor, and a department's windows or a facility. */
export const RobotDestination = z.object({
  floor: z.number().int(),
  departmentId: z.string().optional(),
  facilityId: z.string().optional(),
  windows: z.array(z.string()),
});
export type RobotDestination = z.infer<typeof RobotDestination>;

/** One floor's areas for the on-screen map; `highlighted` marks the area holding the destination. */
export const RobotFloorMap = z.object({
  floor: z.number().int(),
  name: z.string(),
  areas: z.array(
    z.object({ name: z.string(), description: z.string(), departmentIds: z.array(z.string()), facilityIds: z.array(z.string()), highlighted: z.boolean() }),
  ),
});
export type RobotFloorMap = z.infer<typeof RobotFloorMap>;

export const RobotSuggestion = z.object({ intentId: z.string(), label: z.string() });
export type RobotSuggestion = z.infer<typeof RobotSuggestion>;

/** The kiosk's language for the robot's own sentences (declines, questions); answers from content stay Chinese. */
export const RobotLanguage = z.enum(['zh-CN', 'en']);
export type RobotLanguage = z.infer<typeof RobotLanguage>;

export const RobotAction = z.enum(['ticket', 'guide', 'call-staff']);
export type RobotAction = z.infer<typeof RobotAction>;

/**
 * 浏浏's reply. `intent`: an answer (for a service: destination, serviceId,
 * queue category, materials, fee, time limit); `unsure`: up to three
 * suggestions to tap; `clarify`: one question between close siblings
 * (社保卡申领 or 补换?) with the siblings as `suggestions`; `out-of-scope`: the
 * polite decline naming where to go instead (`declineTopic`: the content's
 * scope topic, absent for the general referral).
 */
export const RobotAnswerView = z.object({
  kind: z.enum(['intent', 'out-of-scope', 'unsure', 'clarify']),
  intentId: z.string().optional(),
  /** Short, for speech synthesis. */
  spoken: z.string(),
  /** The full on-screen answer. */
  text: z.string(),
  destination: RobotDestination.optional(),
  serviceId: z.string().optional(),
  queueCategoryId: z.string().optional(),
  materials: z.array(z.string()).optional(),
  fee: z.string().optional(),
  timeLimit: z.string().optional(),
  suggestions: z.array(RobotSuggestion).optional(),
  declineTopic: z.string().optional(),
  actions: z.array(RobotAction),
  /** The destination's floor with its area highlighted, when the answer has a destination. */
  floorMap: RobotFloorMap.optional(),
});
export type RobotAnswerView = z.infer<typeof RobotAnswerView>;

/** A popular question chip: its label (an example question from the content) and the intent it answers. */
export const PopularQuestion = z.object({ intentId: z.string(), label: z.string() });
export type PopularQuestion = z.infer<typeof PopularQuestion>;

/** A Chinese candidate for typed pinyin ("sfz" → 身份证). */
export const InputCandidate = z.object({ text: z.string(), kind: z.enum(['service', 'keyword', 'department', 'facility']) });
export type InputCandidate = z.infer<typeof InputCandidate>;

/** A citizen asked for staff at this kiosk. `reason` is cleaned text (ID numbers and the logged-in citizen's name masked) or null. */
export const HelpRequestView = z.object({
  id: z.string(),
  at: z.string(),
  terminalId: z.string(),
  reason: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
});
export type HelpRequestView = z.infer<typeof HelpRequestView>;

/** Bounds for help-request reasons (characters, after cleaning). */
export const HELP_REASON_MAX = 200;

export const robotApi = {
  /** Any text up to 10,000 characters is accepted; the brain normalises and truncates it. Never refused for its content. */
  'robot.ask': method(
    z.object({ text: z.string().max(10_000), currentFloor: z.number().int().min(-10).max(200).optional(), language: RobotLanguage.optional() }).strict(),
    RobotAnswerView,
  ),
  /** A tapped suggestion or popular question: the answer for that intent (an unknown id gets the decline). */
  'robot.suggestion': method(
    z.object({ intentId: z.string().min(1).max(200), currentFloor: z.number().int().min(-10).max(200).optional(), language: RobotLanguage.optional() }).strict(),
    RobotAnswerView,
  ),
  /** Popular-question chips, from the content (the intents with the most examples). */
  'robot.popular': method(noParams, z.array(PopularQuestion)),
  /** Chinese candidates for pinyin, pinyin initials or Chinese, over the hall's vocabulary; best first. */
  'input.candidates': method(z.object({ query: z.string().max(60), limit: z.number().int().min(1).max(20).optional() }).strict(), z.array(InputCandidate)),
  /** A citizen calls staff: stored, queued for the platform, announced as `help.requested`. */
  'robot.callStaff': method(z.object({ reason: z.string().max(2000).optional() }).strict(), HelpRequestView),
  /** Staff: open help requests, oldest first. */
  'help.list': method(noParams, z.array(HelpRequestView)),
  /** Staff: marks a help request resolved (not_found for an unknown id; resolving twice is fine). */
  'help.resolve': method(z.object({ id: z.string().min(1).max(100) }).strict(), ok),
};

export const robotEvents = {
  'help.requested': HelpRequestView,
};
