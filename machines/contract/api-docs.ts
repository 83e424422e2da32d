/**
 * The published API documents, generated from the contract's schemas (zod's JSON Schema output):
 * OpenAPI 3.1 for the HTTP routes and AsyncAPI 3.0 for the socket events. `npm run docs:api`
 * prints them into docs/; the hub serves them at /api/openapi.json and /api/asyncapi.json; a test
 * fails when the files in docs/ are stale.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { HttpRoute, ServerPush, SocketEvent } from './contract.js';
import { ERROR_STATUS } from './error-status.js';
import { HTTP_ROUTES } from './http-api.js';
import { SERVER_PUSHES, SOCKET_EVENTS } from './socket-api.js';

type Json = Record<string, unknown>;

const VERSION = '1.0.0';

/** JSON Schema of a zod schema, as a client sends it (`input`) or receives it (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete out['$schema'];
  return out;
}

const Refusal: Json = {
  type: 'object',
  required: ['ok', 'code', 'message'],
  properties: {
    ok: { const: false },
    code: { $ref: '#/components/schemas/ErrorCode' },
    message: { type: 'string', description: 'Says what to fix; a server fault (500) says only its log reference.' },
  },
};

function envelope(data: Json): Json {
  return { type: 'object', required: ['ok', 'data'], properties: { ok: { const: true }, data } };
}

/** `status → codes` as a Markdown table, for the documents' descriptions. */
function statusTable(): string {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ERROR_CODES) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const rows = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, codes]) => `| ${status} | ${codes.map((c) => `\`${c}\``).join(', ')} |`);
  return ['| status | codes |', '| --- | --- |', ...rows].join('\n');
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

/** The fields of an object schema (or of every option of a union of objects) as parameters. */
function parametersOf(schema: Json, where: 'path' | 'query'): Json[] {
  const options = Array.isArray(schema['anyOf']) ? (schema['anyOf'] as Json[]) : [schema];
  const params = new Map<string, Json>();
  for (const option of options) {
    const properties = (option['properties'] ?? {}) as Record<string, Json>;
    const required = new Set((option['required'] ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      params.set(name, {
        name,
        in: where,
        required: where === 'path' || (options.length === 1 && required.has(name)),
        schema: rest,
        ...(typeof description === 'string' ? { description } : {}),
      });
    }
  }
  return [...params.values()];
}

function operation(id: string, route: HttpRoute): Json {
  const params = [...parametersOf(jsonSchema(route.params, 'input'), 'path'), ...parametersOf(jsonSchema(route.query, 'input'), 'query')];
  for (const [name, description] of Object.entries(route.headers ?? {})) params.push({ name, in: 'header', required: true, schema: { type: 'string' }, description });
  const answer = jsonSchema(route.answer, 'output');
  const produces = route.produces ?? ['application/json'];
  const success = route.produces
    ? Object.fromEntries(produces.map((type) => [type, { schema: type === 'application/json' ? answer : { type: 'string' } }]))
    : { 'application/json': { schema: envelope(answer) } };
  const status = String(route.status ?? 200);
  const body = route.body instanceof z.ZodUndefined ? undefined : jsonSchema(route.body, 'input');
  return {
    operationId: id,
    summary: route.summary,
    description: [route.description, `Who: ${route.by}.`].filter(Boolean).join('\n\n'),
    tags: [id.split('.')[0]],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body === undefined ? {} : { requestBody: { required: true, content: { [route.consumes ?? 'application/json']: { schema: body } } } }),
    ...(route.auth === 'bearer' ? { security: [{ bearer: [] }] } : {}),
    responses: {
      [status]: { description: status === '303' ? 'See other: the browser follows Location.' : 'Accepted.', content: success },
      default: { description: 'A coded refusal; the status is the code\'s (see the table in info).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Refusal' } } } },
    },
  };
}

/** The OpenAPI 3.1 document of the hub's HTTP API. */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const [id, route] of Object.entries(HTTP_ROUTES) as Array<[string, HttpRoute]>) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(id, route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Venue Hub HTTP API',
      version: VERSION,
      description: [
        'Generated from machines/contract (npm run docs:api). JSON routes answer `{"ok": true, "data": …}` or `{"ok": false, "code", "message"}`; the HTTP status is the code\'s:',
        statusTable(),
        'Money is integer halalas (SAR 150 = 15000). Dates are venue-local yyyy-mm-dd, times hh:mm; instants are epoch ms unless a field says seconds. The socket API is in /api/asyncapi.json.',
      ].join('\n\n'),
    },
    servers: [{ url: 'http://localhost:8080', description: 'The embedded default (npm start)' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A person\'s access token from /api/auth/verify, /api/auth/sign-in/complete or /api/auth/refresh.' } },
      schemas: { ErrorCode: { type: 'string', enum: [...ERROR_CODES] }, Refusal },
    },
  };
}

function ackSchema(event: SocketEvent): Json {
  return { oneOf: [envelope(jsonSchema(event.ack, 'output')), { $ref: '#/components/schemas/Refusal' }] };
}

/** The AsyncAPI 3.0 document of the hub's socket API. */
export function asyncApiDocument(): Json {
  const messages: Record<string, Json> = {};
  const operations: Record<string, Json> = {};
  const channelMessages: Record<string, Json> = {};
  const ref = (name: string) => ({ $ref: `#/channels/hub/messages/${name}` });
  for (const [name, event] of Object.entries(SOCKET_EVENTS) as Array<[string, SocketEvent]>) {
    messages[name] = { name, title: name, summary: event.summary, ...(event.description ? { description: event.description } : {}), payload: jsonSchema(event.payload, 'input') };
    messages[`${name}.ack`] = { name: `${name} ack`, title: `${name} ack`, summary: `The ack of ${name}.`, payload: ackSchema(event) };
    channelMessages[name] = { $ref: `#/components/messages/${name}` };
    channelMessages[`${name}.ack`] = { $ref: `#/components/messages/${name}.ack` };
    operations[name] = {
      action: 'send',
      channel: { $ref: '#/channels/hub' },
      summary: event.summary,
      description: [event.description, `Who: ${event.by}.`].filter(Boolean).join('\n\n'),
      messages: [ref(name)],
      reply: { channel: { $ref: '#/channels/hub' }, messages: [ref(`${name}.ack`)] },
    };
  }
  for (const [name, push] of Object.entries(SERVER_PUSHES) as Array<[string, ServerPush]>) {
    messages[name] = { name, title: name, summary: push.summary, ...(push.description ? { description: push.description } : {}), payload: jsonSchema(push.payload, 'output') };
    channelMessages[name] = { $ref: `#/components/messages/${name}` };
    operations[name] = { action: 'receive', channel: { $ref: '#/channels/hub' }, summary: push.summary, description: `To: ${push.to}.`, messages: [ref(name)] };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Venue Hub socket API',
      version: VERSION,
      description: [
        'Generated from machines/contract (npm run docs:api). socket.io 4 over WebSocket only, on the hub\'s HTTP port (path /socket.io/). Send the access token (or a device token) as the handshake\'s `auth: {token}`; a refused handshake is connect_error with `data: {code, message}`.',
        'Every client event is emitted with one payload object and an ack callback; the ack is `{"ok": true, "data": …}` or `{"ok": false, "code", "message"}`. Per-socket rate and size limits answer rate.limited and message.too_large. Subscriptions answer the current state first; pushes carry versions and cursors: after a gap, a reconnect or feed:resync, subscribe again from what you hold.',
        'The HTTP API (sign-in, catalog, paying, tickets, staff routes) is in /api/openapi.json.',
      ].join('\n\n'),
    },
    servers: { hub: { host: 'localhost:8080', protocol: 'ws', pathname: '/socket.io/', description: 'The embedded default (npm start)' } },
    defaultContentType: 'application/json',
    channels: { hub: { address: '/', title: 'The default namespace', messages: channelMessages } },
    operations,
    components: { messages, schemas: { ErrorCode: { type: 'string', enum: [...ERROR_CODES] }, Refusal } },
  };
}

/** A document as checked in: two-space JSON and a final newline. */
export function printed(document: Json): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
