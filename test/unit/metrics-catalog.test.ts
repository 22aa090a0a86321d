/** The metric catalog, the Prometheus names and the README's metrics table agree. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prometheusName } from '../../functions/adapters/metrics/prometheus.ts';
import { METRIC_NAMES, METRICS } from '../../functions/core/metrics/catalog.ts';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

test.each(METRIC_NAMES)('%s is in the README table with its Prometheus name and unit', (name) => {
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` `));
  expect(row).toBeDefined();
  expect(row).toContain(`(\`${prometheusName(name)}\`)`);
  expect(row).toContain(`| ${METRICS[name].unit} |`);
  for (const dimension of METRICS[name].dimensions) expect(row).toContain(`\`${dimension}\``);
});

test('Prometheus names: counters end in _total, durations are seconds', () => {
  expect(prometheusName('Attempts')).toBe('sluice_attempts_total');
  expect(prometheusName('DeliveryLatency')).toBe('sluice_delivery_latency_seconds');
  expect(prometheusName('EndpointsDisabled')).toBe('sluice_endpoints_disabled_total');
});
