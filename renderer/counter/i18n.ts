import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './i18n/en/hall.json';
import zh from './i18n/zh-CN/hall.json';

/**
 * The counter and display pages' words (one `hall` namespace, zh-CN and en).
 * The page's language comes from `?lang=en` in its address (a wall screen for
 * an international hall); Chinese otherwise.
 */
export const hallPageResources = { 'zh-CN': { hall: zh }, en: { hall: en } } as const;

export function hallPageLanguage(search: string): 'zh-CN' | 'en' {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'zh-CN';
}

export function createHallPageI18n(language: 'zh-CN' | 'en'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: hallPageResources,
    lng: language,
    fallbackLng: 'zh-CN',
    defaultNS: 'hall',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

/** A hall service refusal in the page's words, by its code (the service's own text is for its log). */
export function hallErrorKey(code: string): string[] {
  return [`errors.${code}`, 'errors.other'];
}
