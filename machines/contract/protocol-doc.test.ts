/**
 * docs/protocol.md must describe the contract as it is: every error code, every client event and
 * every server event appear in it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../errors.js';
import { ERROR_STATUS } from './error-status.js';
import type { ServerToClientEvents } from './wire.js';
import { CLIENT_EVENTS } from './wire.js';

const doc = readFileSync('docs/protocol.md', 'utf8');
const SERVER_EVENTS: ReadonlyArray<keyof ServerToClientEvents> = ['actor:changed', 'feed:changed', 'feed:resync', 'dashboard:summary', 'session:reconnect', 'session:ended', 'notification:alert', 'menu:changed', 'menu:updated'];

describe('docs/protocol.md', () => {
  it('lists every error code', () => {
    expect(ERROR_CODES.filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });
  it('gives every error code the HTTP status of the one table', () => {
    expect(ERROR_CODES.filter((code) => !doc.includes(`| \`${code}\` | ${ERROR_STATUS[code]} |`))).toEqual([]);
  });
  it('links the generated API documents', () => {
    expect(doc).toContain('GET /api/openapi.json');
    expect(doc).toContain('GET /api/asyncapi.json');
  });
  it('describes every client and server event', () => {
    const events = [...Object.keys(CLIENT_EVENTS), ...SERVER_EVENTS];
    expect(events.filter((event) => !doc.includes(`\`${event}\``))).toEqual([]);
  });
});
