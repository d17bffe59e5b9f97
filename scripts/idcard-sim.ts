/**
 * A simulated ID card reader on a pty, for a developer running the kiosk
 * without hardware. Prints the tty path to configure as
 * `{ kind: 'serial', path }`, then takes commands on stdin.
 *
 *   npx tsx scripts/idcard-sim.ts [--card zhang|elder|exampleB|badCheckDigit|foreigner] [--dir /tmp/idcard] [--wire-pacing]
 *
 * Commands: place <card> | remove | fault <json> | fault none | disconnect | reconnect | quit
 * e.g. `fault {"kind":"read-fails","times":1}`, `fault {"kind":"slow","delayMs":1500}`
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_CARDS } from '../devices/idcard/sim/cards.js';
import type { DemoCardName } from '../devices/idcard/sim/cards.js';
import { IdCardReaderSimulator, simFaultSchema } from '../devices/idcard/sim/simulator.js';

function demoCard(name: string | undefined): (typeof DEMO_CARDS)[DemoCardName] | null {
  if (name === undefined || name === 'none') return null;
  if (!(name in DEMO_CARDS)) throw new Error(`unknown card "${name}"; choose one of ${Object.keys(DEMO_CARDS).join(', ')}`);
  return DEMO_CARDS[name as DemoCardName];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { card: { type: 'string' }, dir: { type: 'string' }, 'wire-pacing': { type: 'boolean', default: false } },
  });
  const simulator = await IdCardReaderSimulator.start({
    card: demoCard(values.card),
    ...(values.dir !== undefined && { dir: values.dir }),
    ...(values['wire-pacing'] && { wireBaudRate: 115200 }),
  });
  console.log(`ID card reader simulator ready. Driver tty: ${simulator.driverPath}`);
  console.log(`Kiosk config: { "kind": "serial", "path": "${simulator.driverPath}", "baudRate": 115200 }`);
  console.log(`Cards: ${Object.keys(DEMO_CARDS).join(', ')}. Commands: place <card> | remove | fault <json> | fault none | disconnect | reconnect | quit`);

  const shutdown = async (): Promise<void> => {
    await simulator.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, ...rest] = line.trim().split(/\s+/);
    const argument = rest.join(' ');
    try {
      switch (command) {
        case 'place': {
          const card = demoCard(argument || 'zhang');
          if (card) simulator.placeCard(card);
          else simulator.removeCard();
          break;
        }
        case 'remove':
          simulator.removeCard();
          break;
        case 'fault':
          simulator.setFault(argument === 'none' || argument === '' ? null : simFaultSchema.parse(JSON.parse(argument)));
          break;
        case 'disconnect':
          await simulator.disconnect();
          break;
        case 'reconnect':
          await simulator.reconnect();
          break;
        case 'quit':
          await shutdown();
          return;
        case '':
        case undefined:
          continue;
        default:
          console.log(`unknown command "${command}"`);
          continue;
      }
      console.log('ok');
    } catch (error) {
      console.log(`error: ${error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error)}`);
    }
  }
  await shutdown();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
