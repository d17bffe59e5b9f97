/**
 * Text hygiene for printed documents (pure). Everything printed comes from
 * data (content files, case records, a citizen's own input), so control and
 * invisible formatting characters are removed before layout: they would show
 * as boxes, reorder text (bidi overrides) or hide content.
 */

// C0 except \n and \t, DEL, C1, zero-width and bidi controls, BOM, lone surrogates, non-characters.
// With the u flag a valid surrogate pair is one code point, so [\ud800-\udfff] only matches lone halves.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]/gu;

/** Multi-line text: line breaks kept (\r\n and \r become \n), tabs become spaces, controls removed, trailing spaces trimmed. */
export function cleanText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .replace(CONTROL, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** Single-line text (titles, names, table cells): every line break becomes a space. */
export function cleanLine(value: string): string {
  return cleanText(value).replace(/\s*\n\s*/g, ' ');
}

/** `2026年11月24日 14:05` in the hall's time zone (the kiosk's clock may be UTC). */
export function formatChineseDateTime(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}年${part('month')}月${part('day')}日 ${part('hour')}:${part('minute')}`;
}

export function formatChineseDate(date: Date, timeZone: string): string {
  return formatChineseDateTime(date, timeZone).split(' ')[0] ?? '';
}
