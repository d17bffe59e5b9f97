import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import hallEn from '../counter/i18n/en/hall.json';
import hallZh from '../counter/i18n/zh-CN/hall.json';
import { initialLocale, type HallPageLocale } from '../counter/i18n.js';
import en from './i18n/en/stats.json';
import zh from './i18n/zh-CN/stats.json';

/**
 * The statistics page's strings: the counter pages' i18next setup and
 * language choice (`?lang=en`, the toggle kept in this browser), with the
 * page's own namespace `stats` on top of the pages' shared `hall` one (the
 * page-key prompt and the language button come from there).
 */
export function createStatsI18n(locale: HallPageLocale = initialLocale()): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'zh-CN': { hall: hallZh, stats: zh }, en: { hall: hallEn, stats: en } },
    lng: locale,
    fallbackLng: 'zh-CN',
    ns: ['stats', 'hall'],
    defaultNS: 'hall',
    fallbackNS: 'hall',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
