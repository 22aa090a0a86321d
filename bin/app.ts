/**
 * The CDK app: `npm run synth`, `npm run deploy` (cdk.json runs this file on Node 24, no build step).
 * Settings: `-c retrySchedule=5,300 -c alarmEmail=ops@example.com …` (lib/stack-props.ts).
 * Account and region come from the AWS profile when there is one; without them the stack is
 * environment-agnostic, so synth works offline.
 */
import { App } from 'aws-cdk-lib';
import { SluiceStack } from '../lib/sluice-stack.ts';

const app = new App();

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Sluice';

new SluiceStack(app, stackName, {
  description: 'Sluice: self-hosted, Svix-compatible webhook delivery',
  ...(account !== undefined && region !== undefined ? { env: { account, region } } : {}),
});

app.synth();
