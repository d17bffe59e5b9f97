import { z } from 'zod';
import { serviceDay } from '../../electron/common/hall-time.js';
import { hashPin } from '../../hall/index.js';
import type { Appointment } from '../../platform-contract/contract.js';
import { freePort } from '../support/ports.js';
import { expect, printedJob } from './kiosk.js';
import { platformKioskConfig, withLoopbackPlatform, type PlatformKiosk } from './support/platform.js';

/**
 * Issue #15 item 5, done when: an appointment created on the reference
 * platform, the citizen places her card at the kiosk and gets an appointment
 * ticket (printed); the counter calls it first within the priority rules.
 * The kiosk runs the hall service embedded and pulls the appointment from
 * the platform as it starts; the counter is driven through the hall API.
 */
const terminal = { id: 'kiosk-e2e-appt', secret: 'kiosk-e2e-appt-secret-0123456789' };
const CITIZEN_KEY_SECRET = 'e2e-citizen-key-secret';
const HALL_SECRET = 'e2e-appointment-hall-secret';
const ZHANG = '430181198001011239'; // the simulator's 张三丰
const PIN = '2468';

const HALL_PORT = await freePort();
const HALL_API = `http://127.0.0.1:${HALL_PORT}/api`;

const setup: PlatformKiosk = {
  terminal,
  platform: { citizenKeySecret: CITIZEN_KEY_SECRET },
  kioskPlatform: { citizenKeySecret: CITIZEN_KEY_SECRET },
  kiosk: { queue: { secret: HALL_SECRET, listen: { port: HALL_PORT }, counters: [{ staffId: 's1', pinHash: hashPin(PIN) }], ignoreOpeningHours: true } },
};

const test = withLoopbackPlatform(setup).extend<{ appointment: Appointment }>({
  // Booked on the platform before the kiosk starts: its first pull brings it in. The slot starts in 10 minutes (check-in opens 30 before),
  // or, where that would be tomorrow in the hall (a run just before midnight, Beijing time), started 5 minutes ago (check-in closes 15 after).
  appointment: async ({ platform }, use) => {
    const now = Date.now();
    const soon = now + 10 * 60_000;
    const start = serviceDay(new Date(soon)) === serviceDay(new Date(now)) ? soon : now - 5 * 60_000;
    await use(
      await platform.admin.createAppointment({
        idNumber: ZHANG,
        name: '张三丰',
        serviceId: 'ps-idcard-reissue',
        categoryId: 'qc-household',
        slotStart: new Date(start).toISOString(),
        slotEnd: new Date(start + 30 * 60_000).toISOString(),
      }),
    );
  },
  kioskConfig: async ({ platform, appointment }, use) => {
    expect(appointment.code).toMatch(/^\d{8}$/);
    await use(platformKioskConfig(platform, setup));
  },
});

async function hallApi(method: string, params: unknown): Promise<unknown> {
  const response = await fetch(`${HALL_API}/${method}`, { method: 'POST', headers: { authorization: `Bearer ${HALL_SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return response.json();
}
const Called = z.object({ ok: z.literal(true), value: z.object({ called: z.object({ displayNo: z.string(), priority: z.string().nullable() }).nullable() }) });

test('an appointment booked on the platform: the citizen places her card, gets a printed appointment ticket, and the counter calls it first', async ({ kiosk, appointment }) => {
  const { page, dataDir } = kiosk;
  await expect(page.getByTestId('attract-screen')).toBeVisible();

  // Someone without an appointment took a number first.
  expect(await hallApi('issue', { requestId: crypto.randomUUID(), categoryId: 'qc-household', kioskId: 'walk-in' })).toMatchObject({ ok: true, value: { ticket: { displayNo: 'H001' } } });

  // She places her ID card and checks in.
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('dev-close').click();
  await page.getByTestId('home-appointment').click();
  await expect(page.getByTestId('appointment-screen')).toBeVisible();
  await page.getByTestId('appointment-card').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('H002', { timeout: 30_000 });
  await expect(page.getByTestId('appointment-checked-in')).toBeVisible();
  await expect(page.getByTestId('ticket-priority')).toBeVisible();
  await expect(page.getByTestId('ticket-name')).toHaveText('张*丰');
  const job = await printedJob(dataDir, 'H002');
  expect(job).toContain('预约优先');
  await page.getByTestId('ticket-done').click();

  // The code cannot be used a second time: refused in plain words, nothing issued.
  await page.getByTestId('home-appointment').click();
  await page.getByTestId('appointment-code').click();
  for (const digit of appointment.code) await page.getByTestId(`appointment-key-${digit}`).click();
  await page.getByTestId('appointment-submit').click();
  await expect(page.getByTestId('appointment-outcome')).toHaveAttribute('data-outcome', 'used');
  await page.getByTestId('appointment-back').click();
  await expect(page.getByTestId('appointment-screen')).toBeVisible();

  // The counter calls the appointment ticket ahead of the walk-in who came earlier.
  const login = z.object({ ok: z.literal(true), value: z.object({ token: z.string() }) }).parse(await hallApi('counterLogin', { windowNo: '53', staffId: 's1', pin: PIN }));
  const first = Called.parse(await hallApi('callNext', { token: login.value.token }));
  expect(first.value.called).toEqual({ displayNo: 'H002', priority: 'appointment' });
  const second = Called.parse(await hallApi('callNext', { token: login.value.token }));
  expect(second.value.called?.displayNo).toBe('H001');
});
