/**
 * Runs the receipt-printer simulator as a standalone network printer.
 *
 *   npx tsx scripts/printer-sim.ts [--port 9100] [--host 127.0.0.1] [--out ./printer-jobs] [--paper 80mm|58mm]
 *
 * Point the kiosk at tcp://HOST:PORT. Each job is printed here as text and
 * written to the out dir as job-NNNN.txt/.png/.bin. Type commands on stdin to
 * inject faults: `paperOut on`, `paperNearEnd on`, `coverOpen on`, `offline on`,
 * `cutterError on`, `unresponsive on` (… `off`), `drop` (next job), `ok`, `help`.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { PAPER_WIDTH_CHARS } from '../devices/printer/doc.js';
import { PrinterSimulator } from '../devices/printer/sim/simulator.js';
import type { SimulatedPrinterState } from '../devices/printer/sim/simulator.js';

const STATE_KEYS: ReadonlyArray<keyof SimulatedPrinterState> = ['paperOut', 'paperNearEnd', 'coverOpen', 'offline', 'cutterError', 'unresponsive'];

function fail(message: string): never {
  process.stderr.write(`printer-sim: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
    out: { type: 'string', default: 'printer-jobs' },
    paper: { type: 'string', default: '80mm' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${values.port}`);
if (values.paper !== '58mm' && values.paper !== '80mm') fail(`--paper must be 58mm or 80mm, got ${values.paper}`);
const paperWidthChars = PAPER_WIDTH_CHARS[values.paper];

const sim = new PrinterSimulator({ port, host: values.host, outDir: values.out, paperWidthChars });
try {
  await sim.start();
} catch (error) {
  fail(`cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
}
process.stdout.write(`printer simulator on ${sim.url} (${values.paper}), jobs → ${values.out}/\n`);

sim.onJob((job) => {
  const png = job.files === undefined ? '' : ` → ${job.files.png}`;
  process.stdout.write(`\n=== job ${job.id} (${job.endedBy}, ${job.bytes.length} bytes)${png}\n${job.text}`);
  if (job.issues.length > 0) process.stdout.write(`issues:\n  ${job.issues.join('\n  ')}\n`);
  if (job.events.length > 0) process.stdout.write(`events:\n  ${job.events.map((event) => JSON.stringify(event)).join('\n  ')}\n`);
});

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const [word = '', flag] = line.trim().split(/\s+/);
  const key = STATE_KEYS.find((candidate) => candidate.toLowerCase() === word.toLowerCase());
  if (key !== undefined && (flag === 'on' || flag === 'off')) {
    sim.setState({ [key]: flag === 'on' });
  } else if (word === 'drop') {
    sim.failNextJob('drop-mid-job');
  } else if (word === 'ok') {
    sim.setState({ paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, cutterError: false, unresponsive: false });
  } else if (word !== '') {
    process.stdout.write(`commands: ${STATE_KEYS.join('|')} on|off, drop, ok\n`);
    return;
  }
  if (word !== '') process.stdout.write(`state: ${JSON.stringify(sim.currentState())}\n`);
});

const shutdown = (): void => {
  commands.close();
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
