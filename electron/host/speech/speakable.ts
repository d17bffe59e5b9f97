/**
 * Text as a Mandarin synthesiser should read it. espeak-ng reads a digit
 * string as one big number and a ticket number as "A twenty-three", so the
 * digits are spelt out here the way hall staff say them:
 *   A023号请到53号窗口   → A零二三号，请到五十三号窗口
 *   53—54号窗口          → 五十三至五十四号窗口
 *   8:30 / 2楼 / 20元    → 八点三十分 / 二楼 / 二十元
 *   12345 / 0731-…       → 一二三四五 / 零七三一…  (codes and phone numbers digit by digit)
 * Pure: no I/O.
 */
const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const UNITS = ['', '十', '百', '千'] as const;

/** Digit by digit: "023" → "零二三". */
export function digitsZh(digits: string): string {
  return [...digits].map((d) => DIGITS[Number(d)] ?? d).join('');
}

/** A cardinal below 10 000 as spoken: 10 → 十, 15 → 十五, 105 → 一百零五, 2000 → 二千. Larger values are read digit by digit. */
export function cardinalZh(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value >= 10_000) return digitsZh(String(value));
  if (value === 0) return DIGITS[0];
  const digits = [...String(value)].map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((digit, index) => {
    const unit = UNITS[digits.length - 1 - index] ?? '';
    if (digit === 0) {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += DIGITS[0];
    pendingZero = false;
    // 10–19 are 十, 十一…, not 一十.
    out += (digit === 1 && unit === '十' && out === '' ? '' : DIGITS[digit]) + unit;
  });
  return out;
}

/** A run of digits in running text: a code (leading zero or five and more digits) digit by digit, anything else as a number. */
function numberZh(digits: string): string {
  if (digits.length >= 5 || (digits.length > 1 && digits.startsWith('0'))) return digitsZh(digits);
  return cardinalZh(Number(digits));
}

const NO_PAUSE_AFTER = /[\s，。,.！？!?、；;：:）)]/;

export function speakableZh(text: string): string {
  return (
    text
      // Ticket numbers: a capital letter and three or more digits ("A023号请到…"): spelt out, with a breath after 号.
      .replace(/([A-Z])(\d{3,})(?!\d)(号?)/g, (match, letter: string, digits: string, hao: string, offset: number, whole: string) => {
        const after = whole.charAt(offset + match.length);
        const pause = hao !== '' && after !== '' && !NO_PAUSE_AFTER.test(after) ? '，' : '';
        return `${letter}${digitsZh(digits)}${hao}${pause}`;
      })
      // Times: 8:30 → 八点三十分, 14:00 → 十四点.
      .replace(/(?<!\d)(\d{1,2})[:：](\d{2})(?!\d)/g, (_m, hours: string, minutes: string) =>
        `${cardinalZh(Number(hours))}点${minutes === '00' ? '' : `${minutes.startsWith('0') ? '零' : ''}${cardinalZh(Number(minutes))}分`}`,
      )
      // Window and day ranges: 53—54 → 五十三至五十四.
      .replace(/(?<![\d-])(\d{1,4})\s*[–—~～-]\s*(\d{1,4})(?![\d-])/g, (_m, from: string, to: string) => `${numberZh(from)}至${numberZh(to)}`)
      // Phone numbers with dashes: 0731-00000000 → digit by digit.
      .replace(/\d+(?:-\d+)+/g, (run) => run.split('-').map(digitsZh).join('，'))
      .replace(/\d+(?:\.\d+)?/g, (run) => {
        const [whole, fraction] = run.split('.') as [string, string | undefined];
        return fraction === undefined ? numberZh(whole) : `${numberZh(whole)}点${digitsZh(fraction)}`;
      })
  );
}

/** English needs less: ticket numbers letter and digit by digit ("A023" → "A 0 2 3"), so they are not read as "A twenty-three". */
export function speakableEn(text: string): string {
  return text.replace(/\b([A-Z])(\d{3,})\b/g, (_m, letter: string, digits: string) => `${letter} ${[...digits].join(' ')}`);
}
