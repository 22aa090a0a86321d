import { endpointMatches, type RoutableEndpoint } from '../../functions/core/fanout/routing.ts';

const endpoint = (overrides: Partial<RoutableEndpoint> = {}): RoutableEndpoint => ({
  disabled: false,
  eventTypes: null,
  channels: null,
  ...overrides,
});

describe('endpointMatches', () => {
  const invoice = { eventType: 'invoice.paid', channels: null };

  it('matches an unfiltered endpoint', () => {
    expect(endpointMatches(endpoint(), invoice)).toBe(true);
    expect(endpointMatches(endpoint({ eventTypes: [], channels: [] }), invoice)).toBe(true);
  });

  it('never matches a disabled endpoint', () => {
    expect(endpointMatches(endpoint({ disabled: true }), invoice)).toBe(false);
    expect(endpointMatches(endpoint({ disabled: true, eventTypes: ['invoice.paid'] }), invoice)).toBe(false);
  });

  it('filters on event types', () => {
    expect(endpointMatches(endpoint({ eventTypes: ['invoice.paid', 'user.signup'] }), invoice)).toBe(true);
    expect(endpointMatches(endpoint({ eventTypes: ['user.signup'] }), invoice)).toBe(false);
  });

  it('filters on channels: any overlap matches', () => {
    const ep = endpoint({ channels: ['project_1', 'project_2'] });
    expect(endpointMatches(ep, { eventType: 'x', channels: ['project_9', 'project_2'] })).toBe(true);
    expect(endpointMatches(ep, { eventType: 'x', channels: ['project_9'] })).toBe(false);
  });

  it('does not send a message without channels to an endpoint that filters on channels', () => {
    const ep = endpoint({ channels: ['project_1'] });
    expect(endpointMatches(ep, { eventType: 'x', channels: null })).toBe(false);
    expect(endpointMatches(ep, { eventType: 'x', channels: [] })).toBe(false);
  });

  it('sends a message with channels to an endpoint without a channel filter', () => {
    expect(endpointMatches(endpoint(), { eventType: 'x', channels: ['project_1'] })).toBe(true);
  });

  it('needs both filters to pass', () => {
    const ep = endpoint({ eventTypes: ['a'], channels: ['c'] });
    expect(endpointMatches(ep, { eventType: 'a', channels: ['c'] })).toBe(true);
    expect(endpointMatches(ep, { eventType: 'b', channels: ['c'] })).toBe(false);
    expect(endpointMatches(ep, { eventType: 'a', channels: ['d'] })).toBe(false);
  });
});
