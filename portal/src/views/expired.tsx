/** What a visitor sees without a valid session: the "link expired" page, or how to get in. */
import { href } from '../router.ts';

export function Expired({ operator = false }: { operator?: boolean }) {
  return (
    <main class="notice" role="main" aria-labelledby="expired-title">
      <h1 id="expired-title">{operator ? 'Your session ended' : 'This link has expired'}</h1>
      {operator ? (
        <p>The admin token is no longer accepted. Reload the page and sign in again.</p>
      ) : (
        <p>Portal links are valid for a limited time and can be revoked. Ask for a new link from the service that sent you here.</p>
      )}
    </main>
  );
}

export function Landing() {
  return (
    <main class="notice" aria-labelledby="landing-title">
      <h1 id="landing-title">Webhooks portal</h1>
      <p>Open the link you were given to manage your webhook endpoints.</p>
      <p>
        Operators: <a href={href('console')}>open the operator console</a>.
      </p>
    </main>
  );
}
