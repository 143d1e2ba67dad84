// The one fetch wrapper of the app: same-origin cookies, JSON in and out, the CSRF
// header on unsafe methods, and errors turned into two kinds the UI can tell apart:
// OfflineError (the request never got an answer) and ApiError (the server said no).
import type { ErrorBody } from '@contract/types'

export const OFFLINE_MESSAGE = "You're offline — try again when you have signal"
export const CSRF_HEADER = 'X-Followthrough'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const TIMEOUT_MS = 20_000

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** The server answered with a 4xx/5xx. `detail` is written for people. */
export class ApiError extends Error {
  readonly status: number
  readonly detail: string
  /** Problems per form field, ready to show next to the field. */
  readonly fieldErrors: Record<string, string>
  /** The raw `extra` of the ErrorBody. */
  readonly extra: Record<string, unknown> | null
  /** Seconds to wait, from Retry-After (429, 503). */
  readonly retryAfter: number | null

  constructor(
    status: number,
    detail: string,
    extra: Record<string, unknown> | null = null,
    retryAfter: number | null = null,
  ) {
    super(detail)
    this.name = 'ApiError'
    this.status = status
    this.detail = detail
    this.extra = extra
    this.fieldErrors = fieldErrorsFrom(extra)
    this.retryAfter = retryAfter
  }
}

/** No answer at all: no network, DNS failure, server unreachable, or timeout. */
export class OfflineError extends Error {
  constructor(readonly cause?: unknown) {
    super(OFFLINE_MESSAGE)
    this.name = 'OfflineError'
  }
}

export interface RequestOptions {
  /** Leave false for calls where 401 means "wrong password", not "session ended". */
  sessionRequired?: boolean
  signal?: AbortSignal
}

interface Hooks {
  /** A signed-in call answered 401: the session is gone. */
  onSessionEnded?: () => void
  /** Whether the last request reached the server. */
  onConnectivity?: (online: boolean) => void
}
let hooks: Hooks = {}

/** Lets the session module hear about 401s and connectivity without a circular import. */
export function setApiHooks(next: Hooks): void {
  hooks = next
}

export async function apiRequest<T>(
  method: HttpMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const { sessionRequired = true, signal } = options
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (!SAFE_METHODS.has(method)) headers[CSRF_HEADER] = '1'

  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ?? AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (error) {
    // A caller's own abort is not a connectivity problem: pass it on untouched.
    if (signal?.aborted) throw error
    hooks.onConnectivity?.(false)
    throw new OfflineError(error)
  }
  hooks.onConnectivity?.(true)

  if (!response.ok) {
    const error = await errorFrom(response)
    if (error.status === 401 && sessionRequired) hooks.onSessionEnded?.()
    throw error
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

async function errorFrom(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'))
  let body: Partial<ErrorBody> | null = null
  try {
    body = (await response.json()) as Partial<ErrorBody>
  } catch {
    body = null // a proxy's HTML error page, an empty body...
  }
  const detail =
    body && typeof body.detail === 'string' && body.detail
      ? body.detail
      : `Something went wrong (HTTP ${response.status}). Please try again.`
  const extra = body && isRecord(body.extra) ? body.extra : null
  return new ApiError(response.status, detail, extra, retryAfter)
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return null
  return Math.max(0, Math.ceil((date - now) / 1000))
}

/**
 * `extra` maps field names to problems. Accept a string, a list of strings, or a
 * Litestar-style list of {key, message}, so a form always gets one sentence per field.
 */
export function fieldErrorsFrom(extra: unknown): Record<string, string> {
  const result: Record<string, string> = {}
  if (Array.isArray(extra)) {
    for (const item of extra) {
      if (isRecord(item) && typeof item.key === 'string' && typeof item.message === 'string') {
        result[fieldName(item.key)] = sentence(item.message)
      }
    }
    return result
  }
  if (!isRecord(extra)) return result
  for (const [field, problem] of Object.entries(extra)) {
    const name = fieldName(field)
    if (typeof problem === 'string') result[name] = sentence(problem)
    else if (Array.isArray(problem)) result[name] = problem.map((p) => sentence(String(p))).join(' ')
    else if (problem != null) result[name] = sentence(String(problem))
  }
  return result
}

/** "required" -> "Required.": field messages read as sentences next to the field. */
function sentence(text: string): string {
  const trimmed = text.trim()
  if (!trimmed) return trimmed
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/** "$.password" or "body.password" -> "password", matching the form field names. */
function fieldName(key: string): string {
  return key.replace(/^\$\./, '').replace(/^(body|data)\./, '')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** One sentence to show a person for any error a call can throw. */
export function describeError(error: unknown): string {
  if (error instanceof OfflineError) return OFFLINE_MESSAGE
  if (error instanceof ApiError) return error.detail
  return 'Something went wrong. Please try again.'
}
