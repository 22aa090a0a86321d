/** Turns the errors of an outbound request into short, readable attempt-log messages. */

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Errors may come from another realm (e.g. a test VM), so they are checked by shape, not instanceof. */
const isErrorLike = (e: unknown): e is ErrorLike => typeof e === 'object' && e !== null;

/** The first error code along the cause chain. */
function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; isErrorLike(e) && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

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
  HPE_HEADER_OVERFLOW: 'Response headers too large',
  ERR_INVALID_CHAR: 'Invalid request header',
  ERR_INVALID_HTTP_TOKEN: 'Invalid request header',
  ERR_INVALID_URL: 'Invalid URL',
  ERR_INVALID_PROTOCOL: 'Unsupported URL scheme',
  SLUICE_ADDRESS_REFUSED: 'Destination address not allowed',
};

export function describeNetworkError(error: unknown): string {
  const code = codeOf(error);
  const detail = isErrorLike(error) && typeof error.message === 'string' ? error.message : String(error);
  if (code === undefined) return `Request failed: ${detail}`;
  const what =
    DESCRIPTIONS[code] ??
    (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') ? 'TLS error' : code.startsWith('HPE_') ? 'Invalid HTTP response' : 'Request failed');
  return `${what} (${code}): ${detail}`;
}
