import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describePaymentRecordsContract } from './payment-records.contract.js';
import { openSqlitePaymentRecords } from './sqlite-payment-records.js';

const dir = mkdtempSync(join(tmpdir(), 'vh-payrec-'));
let n = 0;

describePaymentRecordsContract('sqlite', async () => openSqlitePaymentRecords({ file: join(dir, `records-${n++}.db`) }));

afterAll(() => rmSync(dir, { recursive: true, force: true }));
