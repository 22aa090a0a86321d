/**
 * The OpenAPI 3.1 document of Sluice's API, generated from the live route table: every route is an
 * operation (documented by Route.doc, ./operations.ts, or a generic entry), request bodies are the
 * zod schemas the routes validate with, responses the schemas of ./responses.ts. Built on the first
 * request and cached: it costs nothing on cold start.
 */
import { API_PREFIX } from '../router.ts';
import type { Route } from '../types.ts';
import { jsonSchemaOf } from './json-schema.ts';
import { OPERATIONS } from './operations.ts';
import { HttpErrorOut, ValidationErrorOut } from './responses.ts';
import type { RouteDoc } from './route-doc.ts';
import * as z from 'zod/mini';

type Json = Record<string, unknown>;

const ERROR_RESPONSES: Record<string, string> = {
  400: 'Bad request',
  401: 'Missing or invalid token',
  403: 'The token may not do this',
  404: 'Not found',
  409: 'Conflict (duplicate uid or eventId, or the idempotency key is in use)',
  413: 'Payload too large',
  429: 'Throttled',
};

function genericDoc(route: Route): RouteDoc {
  const slug = route.pattern.replace(/[{}]/g, '').split('/').filter(Boolean).join('.') || 'root';
  return {
    operationId: `v1.${slug}.${route.method.toLowerCase()}`,
    summary: `${route.method} ${route.pattern}`,
    tag: 'Other',
    // Any JSON until someone describes it (./operations.ts or Route.doc).
    responses: route.method === 'DELETE' ? { 204: null } : { 200: z.unknown() },
  };
}

export const docOf = (route: Route): RouteDoc => route.doc ?? OPERATIONS[`${route.method} ${route.pattern}`] ?? genericDoc(route);

const pathParams = (pattern: string): string[] => [...pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

function operation(route: Route, doc: RouteDoc): Json {
  const parameters: Json[] = [
    ...pathParams(route.pattern).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(doc.query ?? []).map((p) => ({
      name: p.name,
      in: 'query',
      required: false,
      description: p.description,
      schema: p.array === true ? { type: 'array', items: p.schema } : p.schema,
      ...(p.array === true ? { style: 'form', explode: true } : {}),
    })),
    ...(doc.idempotent === true
      ? [{ name: 'idempotency-key', in: 'header', required: false, description: 'Replays the first answer for 12 h', schema: { type: 'string' } }]
      : []),
  ];
  const responses: Json = {};
  for (const [status, schema] of Object.entries(doc.responses)) {
    responses[status] =
      schema === null || status === '204'
        ? { description: status === '204' ? 'No content' : 'OK' }
        : { description: 'OK', content: { 'application/json': { schema: jsonSchemaOf(schema, 'output') } } };
  }
  const errors = route.public === true ? ['400', '429'] : Object.keys(ERROR_RESPONSES);
  if (doc.body !== undefined || parameters.some((p) => p.in === 'query')) errors.push('422');
  for (const status of errors) responses[status] = { $ref: `#/components/responses/${status === '422' ? 'ValidationError' : `Error${status}`}` };

  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    tags: [doc.tag],
    ...(route.public === true ? { security: [] } : {}),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(doc.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(doc.body, 'input') } } } }),
    responses,
  };
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  Health: 'Liveness checks (no token).',
  Application: 'Your customers: each owns its endpoints and messages.',
  'Event Type': 'The kinds of events you publish.',
  Endpoint: "An application's webhook receivers and their signing secrets.",
  Message: 'Published events; each is delivered to every matching endpoint.',
  'Message Attempt': 'Every delivery attempt, with its response.',
  Authentication: 'App-scoped tokens for app portals.',
  Operations: 'For the operator: queue depths and this document.',
  'Background Task': 'Long-running operations (recover), polled by id.',
  Other: 'Routes without a description yet.',
};

/** The document without `servers` (those depend on how the caller reached the API). */
export function buildOpenApiDocument(routes: readonly Route[], version: string): Json {
  const paths: Record<string, Json> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    const doc = docOf(route);
    tags.add(doc.tag);
    (paths[API_PREFIX + route.pattern] ??= {})[route.method.toLowerCase()] = operation(route, doc);
  }
  const errorSchema = { $ref: '#/components/schemas/HttpError' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sluice API',
      version,
      summary: 'Self-hosted, Svix-compatible webhook delivery',
      description:
        'Wire-compatible with the core of the Svix API: point a Svix SDK at this server with `serverUrl`. ' +
        'Authenticate with `Authorization: Bearer <admin token or sluice_app_… token>`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Undescribed routes last.
    tags: [...tags].sort((a, b) => Number(a === 'Other') - Number(b === 'Other')).map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The admin token (sluice_admin_…) or an app token (sluice_app_…)' } },
      schemas: { HttpError: jsonSchemaOf(HttpErrorOut, 'output'), HttpValidationError: jsonSchemaOf(ValidationErrorOut, 'output') },
      responses: {
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES).map(([status, description]) => [
            `Error${status}`,
            { description, content: { 'application/json': { schema: errorSchema } } },
          ]),
        ),
        ValidationError: {
          description: 'Validation error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/HttpValidationError' } } },
        },
      },
    },
  };
}

export function withServer(document: Json, baseUrl: string | undefined): Json {
  return baseUrl === undefined || baseUrl === '' ? document : { ...document, servers: [{ url: baseUrl, description: 'This Sluice' }] };
}
