// Event notifications from the sandbox systems to the app: CloudEvents 1.0 bodies exactly as the DSP
// event notification API (POST /events, apikey header) defines them, sent over real HTTP.
import { randomUUID } from 'node:crypto';
import type { SandboxSystem } from './model.ts';

export const EVENT_TYPES = ['employee-dbs-check-completed', 'employee-elearning-completed'] as const;
export type SandboxEventType = (typeof EVENT_TYPES)[number];

/** The body of POST /events, per the event API's Event schema. */
export interface DspEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: SandboxEventType;
  time: string;
  subject: string;
  filtering: { organisation: string };
  dataref: string;
}

export interface PublishEventRequest {
  system: SandboxSystem;
  /** ODS code. */
  organisation: string;
  employeeId: string;
  type: SandboxEventType;
  /** The full URL of the app's events endpoint (the event API's POST /events), e.g. http://127.0.0.1:8200/events. */
  to: string;
  apikey: string;
  /** Defaults to a fresh UUID. */
  id?: string;
  /** Defaults to the sandbox's now(). */
  time?: Date;
}

/** What happened when an event was sent: the receiver's status and body, or why it never arrived. */
export interface EventDelivery {
  event: DspEvent;
  to: string;
  /** The receiver's HTTP status; null when the request failed (connection refused, timeout). */
  status: number | null;
  /** The receiver's body: parsed JSON when it was JSON, else text. */
  body: unknown;
  error?: string;
  sentAt: string;
}

export function eventSource(system: SandboxSystem): string {
  return `uk.nhs.sandbox.${system}`;
}

/** The event for one employee's records in one system; dataref is that system's get-employee-records URL. */
export function buildEvent(systemBaseUrl: string, request: Omit<PublishEventRequest, 'to' | 'apikey'>, now: Date): DspEvent {
  const organisation = encodeURIComponent(request.organisation);
  const employee = encodeURIComponent(request.employeeId);
  return {
    specversion: '1.0',
    id: request.id ?? randomUUID(),
    source: eventSource(request.system),
    type: request.type,
    time: (request.time ?? now).toISOString(),
    subject: request.employeeId,
    filtering: { organisation: request.organisation },
    dataref: `${systemBaseUrl}/organisations/${organisation}/employees/${employee}/records`,
  };
}

/** POSTs an event with the apikey header; never throws (a failure is in the delivery). */
export async function deliverEvent(event: DspEvent, to: string, apikey: string, timeoutMs = 10_000): Promise<EventDelivery> {
  const sentAt = new Date().toISOString();
  try {
    const response = await fetch(to, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', accept: 'application/json', apikey },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      // Not JSON: the text is what the receiver said, and it is kept as it is.
    }
    return { event, to, status: response.status, body, sentAt };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { event, to, status: null, body: null, error: `${(error as Error).message}${cause ? ` (${cause})` : ''}`, sentAt };
  }
}
