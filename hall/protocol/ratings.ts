import { z } from 'zod';

/**
 * Ratings (好差评) from the kiosks to the hall service (issue #17 item 5):
 * what a kiosk reports of each rating a citizen left there — stars, the
 * department and service rated, the reason codes, when — and nothing
 * personal (no name, card, phone or free text: the schema is strict, so a
 * kiosk that sent more would be refused). The kiosk's guide module records the
 * rating; its hall client keeps it until the service has it (idempotent by
 * id); the service turns them into ratings by department (hall/stats.ts).
 */

export const HallRating = z
  .object({
    /** The kiosk's own id of the rating (the same as its `rating` outbox record): a re-send is recognised by it. */
    id: z.string().regex(/^[\w-]{8,64}$/),
    /** When the citizen rated (ISO instant); the hall day is taken from it. */
    at: z.iso.datetime({ offset: true }),
    stars: z.number().int().min(1).max(5),
    /** A department of the hall content; absent when the citizen rated the hall as a whole. */
    departmentId: z.string().min(1).max(100).optional(),
    serviceId: z.string().min(1).max(100).optional(),
    /** Reason codes (the kiosk's vocabulary, e.g. `long-wait`), translated by the statistics page. */
    reasons: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/)).max(10),
  })
  .strict();
export type HallRating = z.infer<typeof HallRating>;

/** At most this many ratings per call; a kiosk uploads a longer backlog in several. */
export const MAX_RATINGS_PER_REPORT = 200;

export const RatingReport = z.object({ kioskId: z.string().min(1).max(100), ratings: z.array(HallRating).min(1).max(MAX_RATINGS_PER_REPORT) }).strict();
export type RatingReport = z.infer<typeof RatingReport>;

/** Per rating: `stored` (new), `duplicate` (already there: a re-send), `refused` (never stored; `reason` says why). */
export const RatingOutcome = z.object({ id: z.string(), outcome: z.enum(['stored', 'duplicate', 'refused']), reason: z.string().optional() });
export type RatingOutcome = z.infer<typeof RatingOutcome>;

/**
 * One department's ratings on one hall day. `departmentId` '' = ratings that
 * named no department. Only departments rated that day have a row.
 */
export const RatingRow = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  departmentId: z.string().max(100),
  count: z.number().int().positive(),
  /** Mean stars, one decimal. */
  average: z.number().min(1).max(5),
  /** How many gave 1, 2, 3, 4 and 5 stars. */
  stars: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  /** Share of ratings of ≤ 2 stars (差评), percent with one decimal. */
  lowPercent: z.number().min(0).max(100),
  /** The most given reasons, most first (ties by code), at most three. */
  topReasons: z.array(z.object({ reason: z.string(), count: z.number().int().positive() })).max(3),
});
export type RatingRow = z.infer<typeof RatingRow>;

/** Stars at or below this are a low rating (差评), as the kiosk's feedback rules say (FEEDBACK_LIMITS.lowRatingMax). */
export const LOW_RATING_MAX = 2;

/** Department names for the rows (the hall content's, Chinese and English). */
export const DepartmentName = z.object({ id: z.string(), name: z.string(), nameEn: z.string().optional() });
export type DepartmentName = z.infer<typeof DepartmentName>;
