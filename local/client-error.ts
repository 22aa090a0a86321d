/**
 * Requests node:http cannot parse never reach a handler: by default it answers them itself with an
 * empty 431 (request line and headers over its limit) or 400 (a malformed request line or header).
 * API Gateway answers such requests with a JSON body, so this front does too, in Svix's error shape,
 * with the status node chose.
 */
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

interface Answer {
  status: number;
  code: string;
  detail: string;
}

function answerFor(error: NodeJS.ErrnoException): Answer {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'request_header_fields_too_large',
        detail: `The request line and headers are larger than ${maxHeaderSize} bytes (a URL that long does not fit either)`,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADER_TIMEOUT':
      return { status: 408, code: 'request_timeout', detail: 'The request was not received in time' };
    default:
      return { status: 400, code: 'bad_request', detail: `Malformed HTTP request${error.code === undefined ? '' : ` (${error.code})`}` };
  }
}

/** The server's 'clientError' listener: one JSON answer, then the connection closes (node can't resync). */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, code, detail } = answerFor(error);
  const body = JSON.stringify({ code, detail });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
