/**
 * A citizen's age, from the birth date on her ID card. One rule for the
 * session (elderly mode) and the queue (elderly priority): 70 or over.
 */
export const SENIOR_AGE = 70;

/**
 * Age in whole years on `today` (YYYY-MM-DD, the hall's calendar); the birth
 * date may be YYYYMMDD or YYYY-MM-DD. null for a date that is not one.
 */
export function ageOn(birthDate: string, today: string): number | null {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(birthDate.trim());
  const now = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (match === null || now === null) return null;
  const [by, bm, bd] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (bm < 1 || bm > 12 || bd < 1 || bd > 31) return null;
  const [ty, tm, td] = [Number(now[1]), Number(now[2]), Number(now[3])];
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  const age = ty - by - (hadBirthday ? 0 : 1);
  return age < 0 ? null : age;
}
