import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './i18n/en/hall.json';
import zh from './i18n/zh-CN/hall.json';

/**
 * The counter and display pages' strings (zh-CN first, real English), the
 * same i18next the kiosk uses, in their own files: these pages are separate
 * bundles served by the hall service. The language is the page's choice
 * (a toggle, kept in this browser) or `?lang=en`.
 */
export type HallPageLocale = 'zh-CN' | 'en';
const STORAGE_KEY = 'liuliu.hall.lang';

export function initialLocale(): HallPageLocale {
  const asked = new URLSearchParams(window.location.search).get('lang') ?? window.localStorage.getItem(STORAGE_KEY);
  return asked === 'en' ? 'en' : 'zh-CN';
}

export function createHallI18n(locale: HallPageLocale = initialLocale()): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'zh-CN': { hall: zh }, en: { hall: en } },
    lng: locale,
    fallbackLng: 'zh-CN',
    defaultNS: 'hall',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

export function switchLocale(instance: i18n): void {
  const next: HallPageLocale = instance.language === 'en' ? 'zh-CN' : 'en';
  window.localStorage.setItem(STORAGE_KEY, next);
  void instance.changeLanguage(next);
  document.documentElement.lang = next;
}
