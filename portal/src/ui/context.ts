import { createContext } from 'preact';
import type { Svix } from 'svix';
import type { Permissions } from '../session.ts';

/** Set once at the top: what to do when the API says the token is no longer valid. */
export const AuthContext = createContext<{ onUnauthorized(): void }>({ onUnauthorized: () => undefined });

/** The application being viewed, by whom, and where its routes start (`#/…` or `#/console/app/<id>/…`). */
export interface AppScope {
  svix: Svix;
  /** The same credentials, for the plain-fetch calls the SDK cannot make (sluice-endpoints.ts). */
  token: string;
  appId: string;
  permissions: Permissions;
  /** Route prefix of this view. */
  base: string[];
}

export const AppContext = createContext<AppScope | undefined>(undefined);
