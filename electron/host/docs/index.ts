/**
 * Printable documents of the host: receipt, service guide and result PDFs
 * (in memory, bundled CJK font) and the browser shell's print path.
 */
export { DocumentError, guidePdf, receiptPdf, resultPdf } from './documents.js';
export type { DocumentOptions, ReceiptData, ReceiptMaterial, ResultData } from './documents.js';
export { BUNDLED_FONT_FILE, FontPicker, SYSTEM_FONT, findBundledFont } from './fonts.js';
export type { ChosenFont, FontSource } from './fonts.js';
export { printPdf } from './print.js';
export type { PrintOptions, PrintOutcome } from './print.js';
export { cleanLine, cleanText } from './text.js';
