/**
 * Masking of personal information (PIPL). Pure functions shared by the host,
 * the devices and the renderer: whatever shows or logs a citizen's identity
 * goes through here, so the masking rule is written once.
 */

/** 18-character resident ID number: 17 digits and a check character. */
export const ID_NUMBER_PATTERN = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;

/** 430181198001011239 → 430181********1239 (first 6 and last 4 kept). */
export function maskIdNumber(idNumber: string): string {
  const trimmed = idNumber.trim();
  if (trimmed.length <= 10) return '*'.repeat(trimmed.length);
  return `${trimmed.slice(0, 6)}${'*'.repeat(trimmed.length - 10)}${trimmed.slice(-4)}`;
}

/**
 * 张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜: the first and (for three or more
 * characters) last character stay, as on Chinese government receipts.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.length === 0 ? '' : '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Masks every ID number inside free text. */
export function maskIdNumbersInText(text: string): string {
  return text.replace(ID_NUMBER_PATTERN, (_all, head: string, middle: string, tail: string) => `${head}${'*'.repeat(middle.length)}${tail.slice(-4)}`);
}
