/**
 * Alerts raised at the edge of the hub are kept, against a real hub process: a gate that admitted a
 * ticket offline after it was revoked uploads the scan, the hub refuses to record it and raises
 * `offline_admit_refused`, and that alert is an alert actor (in the `alerts` list, acknowledged and
 * resolved with who and when), not only a message pushed once to whoever was watching.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineGate } from '../clients/devices/offline-gate.js';
import { buyTickets, issueDevice, openActivityNow, pollUntil } from '../clients/devices/visitor-flow.js';
import type { PaidTicket } from '../clients/devices/visitor-flow.js';
import { connectHub, unwrap } from '../clients/sdk/index.js';
import type { HubClient } from '../clients/sdk/index.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import { middayTimeZone } from './staff-pages.test-support.js';

describe('alerts raised by offline uploads', () => {
  let env: JourneyHub;
  let gate: HubClient | undefined;

  beforeAll(async () => {
    env = await startJourneyHub({ VENUE_TIME_ZONE: middayTimeZone() });
  }, 120_000);
  afterAll(async () => {
    gate?.close();
    await env?.stop();
  });

  it('keeps offline_admit_refused as an alert staff can list, acknowledge and resolve', async () => {
    const visitorToken = env.node.visitorToken;
    if (visitorToken === undefined) throw new Error('the node printed no demo visitor token');
    const activity = await openActivityNow({ url: env.url, adminToken: env.adminToken, activityId: 'alerts-pool', zone: 'waterpark' });
    const [ticket] = (await buyTickets({ url: env.url, visitorToken, bookingId: 'bk-alerts', slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1 })) as [PaidTicket];
    const { token } = await issueDevice(env.url, env.adminToken, { deviceId: 'gate-east-tablet', deviceKind: 'gate', scope: { zone: 'waterpark', gateId: 'gate_east' } });
    gate = connectHub({ url: env.url, token });
    await gate.ready;
    const offline = createOfflineGate(unwrap(await gate.offlineBundle()));

    // The visitor cancels (the ticket is revoked) while the gate, offline, still admits from its list.
    unwrap(await env.api.cancel('bk-alerts', {}, visitorToken));
    await pollUntil('the ticket revoked', async () => unwrap(await env.api.tickets('bk-alerts', visitorToken))[0]?.state === 'revoked');
    expect(await offline.scan({ token: ticket.token }, 'entry')).toMatchObject({ verdict: 'admitted' });
    const report = await offline.sync(gate);
    expect(report.results).toEqual([expect.objectContaining({ recorded: false, code: 'ticket.revoked' })]);

    const alertsOf = async () => unwrap(await env.api.list('alerts', { type: 'offline_admit_refused' }, env.adminToken)).rows;
    await pollUntil('the alert in the alerts list', async () => (await alertsOf()).length > 0);
    const [alert] = await alertsOf();
    expect(alert).toMatchObject({ kind: 'alert', state: 'open', context: { type: 'offline_admit_refused', severity: 'critical', details: { ticketId: ticket.ticketId, gateId: 'gate_east' } } });
    expect(unwrap(await env.api.acknowledgeAlert(alert!.id, env.adminToken))).toMatchObject({ state: 'acknowledged' });
    expect(unwrap(await env.api.resolveAlert(alert!.id, 'the visitor was refunded and left', env.adminToken))).toMatchObject({ state: 'resolved' });
    await pollUntil('the resolved alert in the list', async () => (await alertsOf())[0]?.state === 'resolved');
  }, 180_000);
});
