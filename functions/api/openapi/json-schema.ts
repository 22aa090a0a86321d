/** zod/mini → JSON Schema 2020-12 (OpenAPI 3.1's dialect), as a fragment to embed in the document. */
import * as z from 'zod/mini';

export function jsonSchemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    // z.custom (the payload: "a JSON object") has no JSON Schema of its own.
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'custom') Object.assign(ctx.jsonSchema, { type: 'object' });
    },
  }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}
