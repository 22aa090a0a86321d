/** Turns the errors of an outbound request into short, readable attempt-log messages. */

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Errors may come from another realm (e.g. a test VM), so they are checked by shape, not instanceof. */
const isErrorLike = (e: unknown): e is ErrorLike => typeof e === 'object' && e !== null;

/** The first error code along the cause chain (undici wraps socket errors). */
function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; isErrorLike(e) && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export function isTimeoutError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && TIMEOUT_CODES.has(code);
}

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by the receiver',
  EPIPE: 'Connection closed by the receiver while sending',
  ENOTFOUND: 'Host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EHOSTUNREACH: 'Host unreachable',
  ENETUNREACH: 'Network unreachable',
  UND_ERR_SOCKET: 'Connection closed by the receiver',
  UND_ERR_CLOSED: 'Connection closed',
  UND_ERR_INVALID_ARG: 'Invalid request',
  UND_ERR_HEADERS_OVERFLOW: 'Response headers too large',
  ERR_INVALID_URL: 'Invalid URL',
  SLUICE_ADDRESS_REFUSED: 'Destination address not allowed',
};

export function describeNetworkError(error: unknown): string {
  const code = codeOf(error);
  const detail = isErrorLike(error) && typeof error.message === 'string' ? error.message : String(error);
  if (code === undefined) return `Request failed: ${detail}`;
  const what = DESCRIPTIONS[code] ?? (code.startsWith('ERR_TLS') || code.includes('CERT') ? 'TLS error' : 'Request failed');
  return `${what} (${code}): ${detail}`;
}
