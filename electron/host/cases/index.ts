/** The cases capability: self-service pre-applications, scans, receipts, progress and results. */
export { casesModule, DEFAULT_QUERY_URL_BASE, normaliseScan } from './module.js';
export type { CasesHostModule, CasesModuleOptions, CaseStatusInput } from './module.js';
export { casesMigrations, CaseStore } from './store.js';
export { parsePreAcceptanceNumber, preAcceptanceNumber, terminalCode } from './rules.js';
