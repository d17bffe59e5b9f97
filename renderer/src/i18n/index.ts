import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import enCommon from './en/common.json';
import zhCommon from './zh-CN/common.json';

/**
 * zh-CN first, English available. Each capability keeps its strings in its
 * own namespace file (common, session, ticket, robot…) so features add text
 * without touching each other's files.
 */
export const resources = {
  'zh-CN': { common: zhCommon },
  en: { common: enCommon },
} as const;

export type UiLocale = keyof typeof resources;

export function createI18n(locale: UiLocale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: 'zh-CN',
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // React escapes
    returnObjects: true,
    initAsync: false,
  });
  return instance;
}
