import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import enAppointment from './en/appointment.json';
import enCases from './en/cases.json';
import enStaff from './en/staff.json';
import enCommon from './en/common.json';
import enDev from './en/dev.json';
import enFeedback from './en/feedback.json';
import enGuide from './en/guide.json';
import enMaintenance from './en/maintenance.json';
import enMessages from './en/messages.json';
import enRobot from './en/robot.json';
import enSession from './en/session.json';
import enTicket from './en/ticket.json';
import zhAppointment from './zh-CN/appointment.json';
import zhCases from './zh-CN/cases.json';
import zhStaff from './zh-CN/staff.json';
import zhCommon from './zh-CN/common.json';
import zhDev from './zh-CN/dev.json';
import zhFeedback from './zh-CN/feedback.json';
import zhGuide from './zh-CN/guide.json';
import zhMaintenance from './zh-CN/maintenance.json';
import zhMessages from './zh-CN/messages.json';
import zhRobot from './zh-CN/robot.json';
import zhSession from './zh-CN/session.json';
import zhTicket from './zh-CN/ticket.json';

/**
 * zh-CN first, English available. Each capability keeps its strings in its
 * own namespace file (common, session, ticket, robot…) so features add text
 * without touching each other's files.
 */
export const resources = {
  'zh-CN': { common: zhCommon, session: zhSession, dev: zhDev, ticket: zhTicket, robot: zhRobot, cases: zhCases, guide: zhGuide, feedback: zhFeedback, staff: zhStaff, maintenance: zhMaintenance, messages: zhMessages, appointment: zhAppointment },
  en: { common: enCommon, session: enSession, dev: enDev, ticket: enTicket, robot: enRobot, cases: enCases, guide: enGuide, feedback: enFeedback, staff: enStaff, maintenance: enMaintenance, messages: enMessages, appointment: enAppointment },
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
