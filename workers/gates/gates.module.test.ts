/**
 * The gates module builds its services from the runtime's wiring: nothing without `gates` (every
 * scan is refused at the edge), scans only without its `offline` part, all three with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteCatalogStore } from '../catalog/sqlite-catalog-store.js';
import { equipmentRuntime } from '../equipment/equipment.module.js';
import { silentLogger } from '../logger.js';
import { wire } from '../modules/runtime-module.js';
import type { Runtime } from '../runtime.js';
import { startRuntime } from '../runtime.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { createTicketTokens } from '../tickets/ticket-token.js';
import { createTestTicketKeys } from '../tickets/tickets.test-support.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import { gatesRuntime } from './gates.module.js';
import type { GatesWiring } from './gates.module.js';

describe('the gates module', () => {
  const started: Array<{ rt: Runtime; dir: string; close: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const { rt, dir, close } of started.splice(0)) {
      await rt.stop();
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function start(gates: (catalog: ReturnType<typeof openSqliteCatalogStore>) => GatesWiring | undefined): Promise<Runtime> {
    const dir = mkdtempSync(join(tmpdir(), 'vh-gates-'));
    const file = join(dir, 'venue-hub.db');
    const catalog = openSqliteCatalogStore({ file });
    const wiring = gates(catalog);
    const rt = await startRuntime({
      store: openSqliteActorStore({ file }),
      jobsBackend: createSqliteAgendaBackend({ file }),
      log: silentLogger,
      timerPollMs: 50,
      modules: [wristbandsRuntime, equipmentRuntime, gatesRuntime],
      wiring: wiring === undefined ? [] : [wire(gatesRuntime, wiring)],
    });
    started.push({ rt, dir, close: () => catalog.close() });
    return rt;
  }

  it('offers no service without its wiring', async () => {
    const rt = await start(() => undefined);
    expect(rt.service(gatesRuntime)).toEqual({});
  });

  it('scans with the ticket verifier; bundles and uploads only with the offline part', async () => {
    const tickets = createTicketTokens({ keys: await createTestTicketKeys('ticket-key-1'), issuer: 'venue-hub' });
    const online = await start(() => ({ tickets }));
    expect(Object.keys(online.service(gatesRuntime))).toEqual(['scans']);
    // A token the verifier refuses is refused before anything is read.
    const refused = await online.service(gatesRuntime).scans?.scan({ token: 'not-a-token', nonce: 'n-000001', direction: 'entry', gateId: 'gate_a', at: Date.now() }, 'gate-a');
    expect(refused).toMatchObject({ verdict: 'refused', code: 'ticket.invalid' });

    const offline = await start((catalog) => ({ tickets, offline: { slots: catalog.slots, jwks: () => ({ keys: [] }), issuer: 'venue-hub', timeZone: 'Asia/Riyadh' } }));
    const services = offline.service(gatesRuntime);
    expect(Object.keys(services).sort()).toEqual(['bundles', 'scans', 'sync']);
    expect(await services.bundles?.bundle({ gateId: 'gate_a' })).toMatchObject({ ok: true, data: { tickets: [], issuer: 'venue-hub' } });
  });
});
