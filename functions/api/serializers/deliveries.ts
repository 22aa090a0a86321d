/**
 * Domain → wire for the delivery views: attempted messages (EndpointMessageOut), attempted
 * destinations (MessageEndpointOut), endpoint headers and background tasks.
 */
import { ATTEMPT_STATUS_TEXT, type BackgroundTask } from '../../core/model.ts';
import type { AttemptedDestination } from '../../core/attempts/attempted-destinations.ts';
import type { AttemptedMessage } from '../../core/attempts/attempted-messages.ts';
import type { EndpointHeadersView } from '../../core/endpoints/headers.ts';
import { messageOut } from './messages.ts';
import { endpointOut, type EndpointView } from './resources.ts';

export function endpointMessageOut(item: AttemptedMessage, withContent: boolean) {
  return {
    ...messageOut(item.message, withContent),
    status: item.state.status,
    statusText: ATTEMPT_STATUS_TEXT[item.state.status],
    nextAttempt: item.state.nextAttempt,
  };
}

export function messageEndpointOut(item: AttemptedDestination, view: EndpointView = {}) {
  return {
    ...endpointOut(item.endpoint, view),
    status: item.state.status,
    statusText: ATTEMPT_STATUS_TEXT[item.state.status],
    nextAttempt: item.state.nextAttempt,
  };
}

export function endpointHeadersOut(view: EndpointHeadersView) {
  return { headers: view.headers, sensitive: view.sensitive };
}

export function backgroundTaskOut(task: BackgroundTask) {
  return { id: task.id, status: task.status, task: task.task, data: task.data, updatedAt: task.updatedAt };
}
