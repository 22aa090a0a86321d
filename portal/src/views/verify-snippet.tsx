/** How a receiver verifies a webhook, in the customer's language of choice. */
import { useState } from 'preact/hooks';

const SNIPPETS: Record<string, { label: string; code: string }> = {
  'js-svix': {
    label: 'JavaScript (svix)',
    code: `import { Webhook } from "svix";

const wh = new Webhook(process.env.WEBHOOK_SECRET); // whsec_…
// rawBody: the exact bytes received, before any JSON parsing
const payload = wh.verify(rawBody, {
  "webhook-id": req.headers["webhook-id"],
  "webhook-timestamp": req.headers["webhook-timestamp"],
  "webhook-signature": req.headers["webhook-signature"],
}); // throws if the signature or timestamp is wrong`,
  },
  'js-standard': {
    label: 'JavaScript (standardwebhooks)',
    code: `import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.WEBHOOK_SECRET.replace(/^whsec_/, ""));
const payload = wh.verify(rawBody, req.headers); // throws when invalid`,
  },
  python: {
    label: 'Python (svix)',
    code: `from svix.webhooks import Webhook

wh = Webhook(os.environ["WEBHOOK_SECRET"])
payload = wh.verify(raw_body, request.headers)  # raises WebhookVerificationError`,
  },
  go: {
    label: 'Go (svix)',
    code: `wh, err := svix.NewWebhook(os.Getenv("WEBHOOK_SECRET"))
if err != nil { return err }
err = wh.Verify(rawBody, r.Header) // nil when the webhook is genuine`,
  },
  ruby: {
    label: 'Ruby (svix)',
    code: `wh = Svix::Webhook.new(ENV["WEBHOOK_SECRET"])
payload = wh.verify(raw_body, request.headers) # raises on a bad signature`,
  },
};

export function VerifySnippet() {
  const [lang, setLang] = useState('js-svix');
  const snippet = SNIPPETS[lang] ?? SNIPPETS['js-svix']!;
  return (
    <details class="snippet">
      <summary>How to verify a webhook</summary>
      <label>
        Language
        <select value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
          {Object.entries(SNIPPETS).map(([key, s]) => (
            <option key={key} value={key}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <pre>
        <code>{snippet.code}</code>
      </pre>
    </details>
  );
}
