import type { Appointment, ContentCurrent, CaseStatusChange, Heartbeat, LogUpload, TerminalCommand } from '../platform-contract/contract.js';
import type { CommandRow, FleetRow, NewCommand } from './fleet.js';
import type { z } from 'zod';
import type { FaultConfig } from './faults.js';
import type { NewAppointment } from './appointments.js';
import type { PlatformStats } from './store.js';

/**
 * A small client for the reference platform's /admin endpoints (bearer
 * token): what tests, the bench and an operator's shell scripts use to read
 * counts, switch faults, publish content and post case status changes.
 */
export interface PublishFile {
  path: string;
  bytes: Buffer;
  /** Overrides the computed file hash (tests of a corrupted package). */
  sha256?: string;
}

export class PlatformAdmin {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  stats(): Promise<PlatformStats & { requests: Record<string, number> }> {
    return this.call('GET', '/admin/stats');
  }

  async recordIds(): Promise<string[]> {
    return (await this.call<{ ids: string[] }>('GET', '/admin/records/ids')).ids;
  }

  setFaults(change: Partial<FaultConfig>): Promise<FaultConfig> {
    return this.call('PUT', '/admin/faults', change);
  }

  publishContent(version: string, files: readonly PublishFile[], sha256?: string): Promise<ContentCurrent> {
    return this.call('POST', '/admin/content', {
      version,
      files: files.map((file) => ({ path: file.path, base64: file.bytes.toString('base64'), ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }) })),
      ...(sha256 === undefined ? {} : { sha256 }),
    });
  }

  postCaseStatus(change: { caseId: string; status: string; note?: string }): Promise<CaseStatusChange> {
    return this.call('POST', '/admin/cases/status', change);
  }

  /** Answers a consultation or complaint through the staff page (as a reviewer's form post would). */
  async answerConsultation(recordId: string, text: string): Promise<void> {
    const response = await fetch(new URL(`/review/consultations/${encodeURIComponent(recordId)}/reply`, this.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ text }).toString(),
      redirect: 'manual',
    });
    if (response.status !== 303) throw new Error(`answering ${recordId} failed: HTTP ${response.status} ${await response.text()}`);
  }

  /** Books an appointment (预约) for the hall; the hall service pulls it with GET /v1/appointments. */
  createAppointment(appointment: NewAppointment): Promise<Appointment> {
    return this.call('POST', '/admin/appointments', appointment);
  }

  cancelAppointment(id: string): Promise<Appointment> {
    return this.call('POST', `/admin/appointments/${encodeURIComponent(id)}/cancel`);
  }

  putTerminal(id: string, secret: string): Promise<{ id: string }> {
    return this.call('POST', '/admin/terminals', { id, secret });
  }

  revokeTerminal(id: string): Promise<{ id: string; revoked: boolean }> {
    return this.call('POST', `/admin/terminals/${encodeURIComponent(id)}/revoke`);
  }

  fleet(): Promise<{ staleAfterSeconds: number; terminals: FleetRow[] }> {
    return this.call('GET', '/admin/fleet.json');
  }

  /** The fleet page's HTML. */
  async fleetPage(): Promise<string> {
    const response = await fetch(new URL('/admin/fleet', this.baseUrl), { headers: { authorization: `Bearer ${this.token}` } });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin GET /admin/fleet failed: HTTP ${response.status} ${text}`);
    return text;
  }

  heartbeats(terminalId: string, limit = 100): Promise<{ heartbeats: { receivedAt: string; heartbeat: Heartbeat }[] }> {
    return this.call('GET', `/admin/terminals/${encodeURIComponent(terminalId)}/heartbeats?limit=${limit}`);
  }

  /** Queues a command for the terminal; it goes out in heartbeat replies until the terminal reports it. */
  sendCommand(terminalId: string, command: z.input<typeof NewCommand>): Promise<TerminalCommand> {
    return this.call('POST', `/admin/terminals/${encodeURIComponent(terminalId)}/commands`, command);
  }

  async commands(terminalId: string): Promise<CommandRow[]> {
    return (await this.call<{ commands: CommandRow[] }>('GET', `/admin/terminals/${encodeURIComponent(terminalId)}/commands`)).commands;
  }

  async logUploads(terminalId: string): Promise<{ id: string; receivedAt: string; commandId: string | null; bytes: number; files: string[] }[]> {
    return (await this.call<{ uploads: { id: string; receivedAt: string; commandId: string | null; bytes: number; files: string[] }[] }>('GET', `/admin/terminals/${encodeURIComponent(terminalId)}/logs`)).uploads;
  }

  logUpload(id: string): Promise<LogUpload & { terminalId: string }> {
    return this.call('GET', `/admin/logs/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${method} ${path} failed: HTTP ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
