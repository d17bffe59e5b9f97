import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, UserMessage } from '../../../electron/contract/index.js';
import { hallLocalTime, formatHhmm } from '../../../electron/common/hall-time.js';

/**
 * The one place host messages become words: a `{code, params}` from the
 * contract (electron/contract/messages.ts) is looked up in the `messages`
 * namespace of the citizen's language; an error without one gets the
 * words for its error code. Never shows the host's log text.
 */
function hallDateTime(iso: string, language: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const local = hallLocalTime(instant);
  const [year, month, day] = local.day.split('-').map(Number) as [number, number, number];
  // The date of the hall's day at noon UTC is that day anywhere: only the weekday and month names come from Intl.
  const date = new Date(Date.UTC(year, month - 1, day, 12)).toLocaleDateString(language, { month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' });
  return `${date} ${formatHhmm(Math.floor(local.minuteOfDay))}`;
}

/** Device status reasons whose words change when an optional parameter is there. */
const OPTIONAL_PARTS: Partial<Record<UserMessage['code'], string>> = { 'device.storageRecovered': 'movedTo', 'device.platformOffline': 'detail', 'device.robotLexicalOnly': 'loadMs' };

export function sayMessage(t: TFunction, language: string, message: UserMessage): string {
  const { code, params } = message;
  const [group, name] = code.split('.') as [string, string];
  if (code === 'queue.closed') {
    const nextOpening = typeof params.nextOpening === 'string' ? t('messages:queue.nextOpening', { when: hallDateTime(params.nextOpening, language) }) : '';
    return t([`messages:queue.closed_${String(params.reason)}`, 'messages:queue.closed'], { category: params.category, next: nextOpening }).trim();
  }
  if (code === 'cases.fieldTooLong') return t(`messages:cases.fieldTooLong_${String(params.field)}`, params);
  // A printout that did not come out (or a printer's fault on the staff screen): the printer's reason in plain words, or the general sentence for a reason without its own.
  if (code === 'queue.notPrinted' || code === 'print.failed' || code === 'device.printerFault') return t([`messages:${group}.${name}_${String(params.reason)}`, `messages:${group}.${name}`]);
  // Device reasons with an optional part: `<name>_<param>` says it when it is there.
  const optional = OPTIONAL_PARTS[code];
  if (optional !== undefined && params[optional] !== undefined && params[optional] !== null) return t(`messages:${group}.${name}_${optional}`, params);
  return t(`messages:${group}.${name}`, params);
}

export function sayError(t: TFunction, language: string, error: ApiErrorShape): string {
  return error.say !== undefined ? sayMessage(t, language, error.say) : t(`messages:errors.${error.code}`);
}

/** `say(error)` / `say(message)` in the language current when it is called; the function itself is stable (safe in effect dependencies). */
export function useSay(): (what: ApiErrorShape | UserMessage) => string {
  const { i18n } = useTranslation('messages');
  return useCallback(
    (what: ApiErrorShape | UserMessage) => {
      const t = i18n.getFixedT(i18n.language);
      return 'params' in what ? sayMessage(t, i18n.language, what) : sayError(t, i18n.language, what);
    },
    [i18n],
  );
}
