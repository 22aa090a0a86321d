/**
 * Checks API answers against the Svix open-source server's OpenAPI document (../shared/svix-openapi.json,
 * outside the repository), with ajv and ajv-formats, formats on: for a method, a concrete path and a
 * status, it finds the document's operation and response and validates the JSON body against that
 * response's schema. An answer the document does not describe (an undocumented status, a body where it
 * says none) is itself a finding.
 *
 * OpenAPI 3.0 specifics: `nullable` is an ajv keyword; `example`, `x-*` and the like are annotations;
 * the integer formats (uint16, int64, …) are range checks, as the SDKs' types assume them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Where the document lives on this machine (beside the repository). */
export const SVIX_OPENAPI_PATH = fileURLToPath(new URL('../../../shared/svix-openapi.json', import.meta.url));

interface ResponseObject {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
}
interface OperationObject {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject | unknown>>;
  components: { schemas: Record<string, unknown> };
}

export interface Operation {
  method: string;
  /** The document's template, e.g. `/api/v1/app/{app_id}`. */
  path: string;
  operationId: string;
  responses: Record<string, ResponseObject>;
}

const HTTP_METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete']);

const INTEGER_FORMATS: Record<string, [number, number]> = {
  int16: [-32_768, 32_767],
  uint16: [0, 65_535],
  int32: [-2_147_483_648, 2_147_483_647],
  uint32: [0, 4_294_967_295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

export function loadSvixOpenApi(path = SVIX_OPENAPI_PATH): OpenApiDocument {
  return JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || typeof op !== 'object' || op === null) continue;
      const operation = op as OperationObject;
      out.push({ method: method.toUpperCase(), path, operationId: operation.operationId ?? `${method} ${path}`, responses: operation.responses ?? {} });
    }
  }
  return out;
}

/** `/api/v1/app/{app_id}` as a RegExp over concrete paths (one segment per parameter). */
function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

export interface ResponseCheck {
  operation: Operation | undefined;
  /** Empty when the answer matches the document. */
  problems: string[];
}

export interface SvixOpenApiValidator {
  readonly operations: readonly Operation[];
  /** The operation serving `method path` (a concrete path, query string allowed). */
  operationFor(method: string, path: string): Operation | undefined;
  /** Validates one answer; `body` is the raw response text. */
  check(method: string, path: string, status: number, body: string): ResponseCheck;
}

const describeErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);

export function createSvixOpenApiValidator(doc: OpenApiDocument = loadSvixOpenApi()): SvixOpenApiValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS: its function is the default export under Node, `.default` under TypeScript.
  type AddFormats = (ajv: Ajv) => Ajv;
  const addFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);
  addFormats(ajv);
  for (const [name, [min, max]] of Object.entries(INTEGER_FORMATS)) {
    ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  }
  ajv.addSchema({ $id: 'svix-openapi', components: doc.components });

  const operations = operationsOf(doc);
  const patterns = operations.map((op) => ({ op, pattern: templatePattern(op.path) }));
  const compiled = new Map<string, ValidateFunction>();

  const validatorFor = (schema: unknown): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (validate === undefined) {
      // Refs in the document are document-relative (`#/components/schemas/X`): rebase them.
      const rebased = JSON.parse(key.replace(/"#\/components\//g, '"svix-openapi#/components/')) as object;
      validate = ajv.compile(rebased);
      compiled.set(key, validate);
    }
    return validate;
  };

  const operationFor = (method: string, path: string): Operation | undefined => {
    const bare = path.split('?')[0]!;
    const upper = method.toUpperCase();
    // The most specific template first: literal segments beat parameters (`/msg/{id}/content` vs `{id}`).
    const matches = patterns.filter(({ op, pattern }) => op.method === upper && pattern.test(bare));
    matches.sort((a, b) => (b.op.path.match(/\/[^{/][^/]*/g)?.length ?? 0) - (a.op.path.match(/\/[^{/][^/]*/g)?.length ?? 0));
    return matches[0]?.op;
  };

  return {
    operations,
    operationFor,
    check(method, path, status, body) {
      const operation = operationFor(method, path);
      if (operation === undefined) return { operation, problems: [`${method} ${path}: no such operation in the document`] };
      const response = operation.responses[String(status)];
      const where = `${operation.operationId} → ${status}`;
      // A few operations (the expunge ones) document no success at all; their 204 carries no body.
      const documentsSuccess = Object.keys(operation.responses).some((s) => s.startsWith('2'));
      if (response === undefined && status === 204 && !documentsSuccess) {
        return { operation, problems: body.trim() === '' ? [] : [`${where}: a 204 with a body`] };
      }
      if (response === undefined) return { operation, problems: [`${where}: status not in the document (${Object.keys(operation.responses).join(', ')})`] };
      const schema = response.content?.['application/json']?.schema;
      if (schema === undefined) {
        return { operation, problems: body.trim() === '' ? [] : [`${where}: the document says no body, got ${body.slice(0, 200)}`] };
      }
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return { operation, problems: [`${where}: body is not JSON: ${body.slice(0, 200)}`] };
      }
      const validate = validatorFor(schema);
      return { operation, problems: validate(value) ? [] : describeErrors(validate.errors).map((p) => `${where}: ${p}`) };
    },
  };
}
