/** The signing secret: reveal, copy, rotate, and how to verify a webhook with it. */
import { useContext, useState } from 'preact/hooks';
import { describeError, isUnauthorized } from '../api.ts';
import { AppContext, AuthContext } from '../ui/context.ts';
import { Panel } from '../ui/states.tsx';
import { VerifySnippet } from './verify-snippet.tsx';

export function SecretPanel({ endpointId }: { endpointId: string }) {
  const { svix, appId, permissions } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const run = async (what: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setMessage(undefined);
    try {
      await what();
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      setMessage(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const reveal = () => run(async () => setSecret((await svix.endpoint.getSecret(appId, endpointId)).key));
  const copy = () =>
    run(async () => {
      const key = secret ?? (await svix.endpoint.getSecret(appId, endpointId)).key;
      await navigator.clipboard.writeText(key);
      setMessage('Copied to the clipboard.');
    });
  const rotate = () => {
    if (!window.confirm('Rotate the signing secret? The current one keeps working for 24 hours.')) return;
    void run(async () => {
      await svix.endpoint.rotateSecret(appId, endpointId, {});
      const key = (await svix.endpoint.getSecret(appId, endpointId)).key;
      setSecret(key);
      setMessage('Rotated. Webhooks are signed with both secrets for the next 24 hours, so switch your receiver to the new one within that time.');
    });
  };

  return (
    <Panel title="Signing secret" id="secret">
      <p class="hint">Every webhook is signed with this secret (Standard Webhooks). Verify the signature before trusting a webhook.</p>
      <div class="secret-row">
        <code class="secret" aria-label="Signing secret" data-revealed={secret === undefined ? 'false' : 'true'}>
          {secret ?? 'whsec_••••••••••••••••••••••••'}
        </code>
        <button type="button" disabled={busy} onClick={() => (secret === undefined ? void reveal() : setSecret(undefined))}>
          {secret === undefined ? 'Reveal' : 'Hide'}
        </button>
        <button type="button" disabled={busy} onClick={() => void copy()}>
          Copy
        </button>
        {permissions.manageSecret ? (
          <button type="button" disabled={busy} onClick={rotate}>
            Rotate
          </button>
        ) : null}
      </div>
      {message === undefined ? null : (
        <p class="note" role="status">
          {message}
        </p>
      )}
      <VerifySnippet />
    </Panel>
  );
}
