/** Public surface of the ID card reader device layer (what the host imports). */
export { createIdCardReader, idCardReaderConfigSchema } from './factory.js';
export type { IdCardReaderConfig, IdCardReaderHandle, IdCardReaderTuning } from './factory.js';
export { DEFAULT_POLL_INTERVAL_MS, IdCardReader } from './reader.js';
export type { CardRead, IdCardReaderEvents, IdCardReaderOptions, ReadErrorCode, ReadErrorEvent } from './reader.js';
export type { CardProblem, CardProblemCode, Gender, IdCardRecord, Nation } from './validate.js';
export { isExpired } from './validate.js';
export { IdCardReaderSimulator, simFaultSchema } from './sim/simulator.js';
export type { SimFault, SimulatorOptions } from './sim/simulator.js';
export { DEMO_CARDS } from './sim/cards.js';
export type { DemoCardName, SimCard } from './sim/cards.js';
