/**
 * Builds the ID card reader the host's config asks for. For `simulator` it
 * also starts the simulated reader on a pty pair and hands back its controls
 * (placeCard/removeCard/setFault…) for the developer panel.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { HidChannel } from './hid-channel.js';
import { IdCardReader } from './reader.js';
import type { IdCardReaderOptions } from './reader.js';
import { DEFAULT_BAUD_RATE, SerialChannel } from './serial-channel.js';
import { DEMO_CARDS } from './sim/cards.js';
import type { DemoCardName } from './sim/cards.js';
import { IdCardReaderSimulator } from './sim/simulator.js';

const usbId = z.number().int().min(0).max(0xffff);

/**
 * Driver tuning a hall may set per reader. A card waits on average half a
 * poll interval before it is found: the default (DEFAULT_POLL_INTERVAL_MS,
 * 30 ms) keeps the login within wire time + 50 ms; a hall that wants the
 * reader spec's 300–500 ms trades that for fewer finds (top-level README,
 * "Resident ID-card login").
 */
const tuningFields = {
  pollIntervalMs: z.number().int().min(20).max(2000).optional(),
  readAttempts: z.number().int().min(1).max(10).optional(),
};

export const idCardReaderConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.union([z.literal(115200), z.literal(57600), z.literal(38400), z.literal(19200), z.literal(9600)]).default(DEFAULT_BAUD_RATE),
    ...tuningFields,
  }),
  z.object({
    kind: z.literal('hid'),
    vendorId: usbId,
    productId: usbId,
    path: z.string().min(1).optional(),
    reportId: z.number().int().min(0).max(255).optional(),
    reportSize: z.number().int().min(3).max(257).optional(),
    ...tuningFields,
  }),
  z.object({
    kind: z.literal('simulator'),
    /** Demo card in the field at start; none when omitted. */
    card: z.enum(Object.keys(DEMO_CARDS) as [DemoCardName, ...DemoCardName[]]).optional(),
    /** Emulate the wire time of a real 115200 line. */
    wireBaudRate: z.number().int().positive().optional(),
    ...tuningFields,
  }),
]);

export type IdCardReaderConfig = z.input<typeof idCardReaderConfigSchema>;

/** Driver tuning that is not about where the reader is (poll interval, retries…). */
export type IdCardReaderTuning = Omit<IdCardReaderOptions, 'openChannel' | 'logger'>;

export interface IdCardReaderHandle {
  reader: IdCardReader;
  /** Present for `kind: 'simulator'`: place/remove cards, inject faults. */
  simulator: IdCardReaderSimulator | null;
  /** Stops the reader and, for the simulator, closes it and its pty. */
  dispose(): Promise<void>;
}

/**
 * Validates `config` (throws a zod error on bad config — a startup mistake),
 * builds the driver, and for the simulator starts it. The reader is not
 * started; call `reader.start()`. `pollIntervalMs` / `readAttempts` set in
 * the config win over the same fields of `tuning`.
 */
export async function createIdCardReader(config: IdCardReaderConfig, logger: Logger, callerTuning: IdCardReaderTuning = {}): Promise<IdCardReaderHandle> {
  const parsed = idCardReaderConfigSchema.parse(config);
  const child = logger.child({ device: 'idcard' });
  const tuning: IdCardReaderTuning = {
    ...callerTuning,
    ...(parsed.pollIntervalMs !== undefined && { pollIntervalMs: parsed.pollIntervalMs }),
    ...(parsed.readAttempts !== undefined && { readAttempts: parsed.readAttempts }),
  };
  switch (parsed.kind) {
    case 'serial': {
      const reader = new IdCardReader({ ...tuning, logger: child, openChannel: () => new SerialChannel({ path: parsed.path, baudRate: parsed.baudRate }) });
      return { reader, simulator: null, dispose: () => reader.stop() };
    }
    case 'hid': {
      const framing = { ...(parsed.reportId !== undefined && { reportId: parsed.reportId }), ...(parsed.reportSize !== undefined && { reportSize: parsed.reportSize }) };
      const reader = new IdCardReader({
        ...tuning,
        logger: child,
        openChannel: () => new HidChannel({ vendorId: parsed.vendorId, productId: parsed.productId, ...(parsed.path !== undefined && { path: parsed.path }), framing }),
      });
      return { reader, simulator: null, dispose: () => reader.stop() };
    }
    case 'simulator': {
      const simulator = await IdCardReaderSimulator.start({ card: parsed.card ? DEMO_CARDS[parsed.card] : null, ...(parsed.wireBaudRate !== undefined && { wireBaudRate: parsed.wireBaudRate }) });
      const reader = new IdCardReader({ ...tuning, logger: child, openChannel: () => new SerialChannel({ path: simulator.driverPath }) });
      return {
        reader,
        simulator,
        dispose: async () => {
          await reader.stop();
          await simulator.close();
        },
      };
    }
  }
}
