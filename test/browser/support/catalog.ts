/** The event types and helpers the browser tests share. */
import { ApiException, type Svix } from 'svix';

export const EVENT_TYPES = [
  {
    name: 'invoice.paid',
    description: 'An invoice was paid',
    schemas: { '1': { type: 'object', properties: { invoice: { type: 'string' } }, examples: [{ invoice: 'in_example', amount: 4200 }] } },
  },
  { name: 'invoice.failed', description: 'A payment failed' },
  { name: 'user.created', description: 'A user signed up' },
];

export async function createCatalog(admin: Svix): Promise<void> {
  for (const type of EVENT_TYPES) {
    try {
      await admin.eventType.create(type);
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409)) throw error;
    }
  }
}

/** False when the server answers 404 for lack of the route (an optional Svix route not built yet). */
export async function routeExists(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return false;
    throw error;
  }
}
