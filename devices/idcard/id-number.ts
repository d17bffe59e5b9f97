/** 公民身份号码 check character (GB 11643, ISO 7064 MOD 11-2; spec §10). Pure. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export const ID_NUMBER_SHAPE = /^\d{17}[\dX]$/;

/** Check character for the 17 leading digits, or undefined when they are not 17 digits. */
export function idCheckCharacter(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11];
}

/** True when the number is 17 digits plus the right check character (uppercase X only). */
export function isValidIdNumber(idNumber: string): boolean {
  return ID_NUMBER_SHAPE.test(idNumber) && idCheckCharacter(idNumber.slice(0, 17)) === idNumber[17];
}

/** Completes 17 digits with their check character (demo cards, tests). */
export function withCheckCharacter(first17: string): string {
  const check = idCheckCharacter(first17);
  if (check === undefined) throw new Error('withCheckCharacter needs exactly 17 digits');
  return first17 + check;
}
