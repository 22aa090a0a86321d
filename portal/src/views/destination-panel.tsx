/**
 * An AWS-native destination on the endpoint's page: where messages go, the role Sluice assumes, and
 * the trust policy that role needs, with Sluice's principal (the deployment's delivery role, as the API
 * reports it) and the external id filled in; without a principal from the API, a placeholder.
 */
import { useState } from 'preact/hooks';
import { describeError } from '../api.ts';
import { DESTINATION_LABEL, SEND_ACTION, trustPolicy, type EndpointDestination } from '../sluice-endpoints.ts';
import { Panel } from '../ui/states.tsx';

export function DestinationPanel({ destination }: { destination: EndpointDestination }) {
  const [message, setMessage] = useState<string | undefined>(undefined);
  const { type, arn, roleArn, externalId, principalArn } = destination;
  const label = DESTINATION_LABEL[type]?.long ?? type;
  const policy = trustPolicy(externalId, principalArn);
  const copy = async (what: string, text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setMessage(`Copied the ${what} to the clipboard.`);
    } catch (e) {
      setMessage(`Could not copy the ${what}: ${describeError(e)}`);
    }
  };
  return (
    <Panel title="AWS destination" id="destination">
      <p class="hint">Sluice assumes the role below in your AWS account and sends each message to this {label}.</p>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{label}</dd>
        <dt>ARN</dt>
        <dd>
          <code>{arn}</code>
        </dd>
        <dt>Role ARN</dt>
        <dd>
          <code>{roleArn}</code>
        </dd>
        <dt>Trusted principal</dt>
        <dd>{principalArn === null ? 'Ask your provider for the principal to trust.' : <code class="principal">{principalArn}</code>}</dd>
        <dt>External id</dt>
        <dd>
          <span class="copy-row">
            <code class="external-id">{externalId}</code>
            <button type="button" onClick={() => void copy('external id', externalId)}>
              Copy external id
            </button>
          </span>
        </dd>
      </dl>
      <h4>Trust policy for the role</h4>
      <p class="hint">
        Sluice passes the external id when it assumes the role, so only this endpoint's deliveries can use it.
        {principalArn === null ? ' Replace the placeholder with the principal your provider gave you.' : ''} The role's permissions must also allow <code>{SEND_ACTION[type] ?? 'sending'}</code> on this {label}.
      </p>
      <pre class="trust-policy">
        <code>{policy}</code>
      </pre>
      <div class="actions">
        <button type="button" onClick={() => void copy('trust policy', policy)}>
          Copy trust policy
        </button>
      </div>
      {message === undefined ? null : (
        <p class="note" role="status">
          {message}
        </p>
      )}
    </Panel>
  );
}
