import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  CSRF_HEADER,
  OFFLINE_MESSAGE,
  OfflineError,
  apiRequest,
  describeError,
  fieldErrorsFrom,
  parseRetryAfter,
  setApiHooks,
} from '../src/api/client'
import { api } from '../src/api/endpoints'

type FetchArgs = [input: string, init: RequestInit]

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

let fetchMock: ReturnType<typeof vi.fn>

function lastCall(): FetchArgs {
  return fetchMock.mock.calls.at(-1) as FetchArgs
}

function headersOf(init: RequestInit): Record<string, string> {
  return init.headers as Record<string, string>
}

beforeEach(() => {
  fetchMock = vi.fn(async () => jsonResponse(200, { ok: true }))
  vi.stubGlobal('fetch', fetchMock)
  setApiHooks({})
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('requests', () => {
  it('sends the CSRF header on unsafe methods only', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      await apiRequest(method, '/api/x', method === 'DELETE' ? undefined : { a: 1 })
      expect(headersOf(lastCall()[1])[CSRF_HEADER]).toBe('1')
    }
    await apiRequest('GET', '/api/x')
    expect(headersOf(lastCall()[1])).not.toHaveProperty(CSRF_HEADER)
  })

  it('uses same-origin cookies and JSON bodies', async () => {
    await api.updateMe({ name: 'Ada' })
    const [url, init] = lastCall()
    expect(url).toBe('/api/me')
    expect(init.method).toBe('PATCH')
    expect(init.credentials).toBe('same-origin')
    expect(headersOf(init)['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body as string)).toEqual({ name: 'Ada' })
  })

  it('returns parsed JSON, and undefined for 204', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { id: 3 }))
    expect(await apiRequest('GET', '/api/me')).toEqual({ id: 3 })
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }))
    expect(await api.revokeInvite(5)).toBeUndefined()
    expect(lastCall()[0]).toBe('/api/invites/5')
  })

  it('sends invitation tokens in the body, never in a URL', async () => {
    await api.invitation('a/b?c')
    expect(lastCall()[0]).toBe('/api/invitations/lookup')
    expect(JSON.parse(String(lastCall()[1]?.body))).toEqual({ token: 'a/b?c' })
  })

  it('encodes query parameters', async () => {
    await api.users(4)
    expect(lastCall()[0]).toBe('/api/users?team_id=4')
    await api.users()
    expect(lastCall()[0]).toBe('/api/users')
  })
})

describe('errors', () => {
  it('turns an ErrorBody into an ApiError with status, detail and field errors', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(409, {
        status_code: 409,
        detail: 'This email already has an account.',
        extra: { email: 'Already registered.' },
      }),
    )
    const error = await apiRequest('POST', '/api/invites', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    const apiError = error as ApiError
    expect(apiError.status).toBe(409)
    expect(apiError.detail).toBe('This email already has an account.')
    expect(apiError.extra).toEqual({ email: 'Already registered.' })
    expect(apiError.fieldErrors).toEqual({ email: 'Already registered.' })
    expect(describeError(apiError)).toBe('This email already has an account.')
  })

  it('gives a readable detail when the body is not an ErrorBody', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status: 502 }))
    const error = (await apiRequest('GET', '/api/me').catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(502)
    expect(error.detail).toContain('HTTP 502')
    expect(error.fieldErrors).toEqual({})
  })

  it('reads Retry-After on 429', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(429, { status_code: 429, detail: 'Too many attempts.' }, { 'Retry-After': '42' }),
    )
    const error = (await api.login({ email: 'a@b.c', password: 'x' }).catch((e: unknown) => e)) as ApiError
    expect(error.status).toBe(429)
    expect(error.retryAfter).toBe(42)
  })

  it('reports a network failure as OfflineError, not as an HTTP error', async () => {
    const connectivity: boolean[] = []
    setApiHooks({ onConnectivity: (online) => connectivity.push(online) })
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const error = await apiRequest('GET', '/api/me').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OfflineError)
    expect(error).not.toBeInstanceOf(ApiError)
    expect(describeError(error)).toBe(OFFLINE_MESSAGE)
    expect(connectivity).toEqual([false])

    // The next answer, even an error answer, means we are reachable again.
    fetchMock.mockResolvedValueOnce(jsonResponse(500, { status_code: 500, detail: 'Oops.' }))
    await apiRequest('GET', '/api/me').catch(() => undefined)
    expect(connectivity).toEqual([false, true])
  })

  it('tells the session about a 401 on signed-in calls, but not on a failed login', async () => {
    const onSessionEnded = vi.fn()
    setApiHooks({ onSessionEnded })
    fetchMock.mockResolvedValue(jsonResponse(401, { status_code: 401, detail: 'Not signed in.' }))
    await api.login({ email: 'a@b.c', password: 'wrong' }).catch(() => undefined)
    expect(onSessionEnded).not.toHaveBeenCalled()
    await api.me().catch(() => undefined)
    expect(onSessionEnded).toHaveBeenCalledTimes(1)
  })

  it('passes a caller abort through untouched', async () => {
    const controller = new AbortController()
    controller.abort()
    fetchMock.mockRejectedValueOnce(new DOMException('Aborted', 'AbortError'))
    const error = await apiRequest('GET', '/api/me', undefined, { signal: controller.signal }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(DOMException)
  })
})

describe('helpers', () => {
  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('30')).toBe(30)
    expect(parseRetryAfter(null)).toBeNull()
    expect(parseRetryAfter('soon')).toBeNull()
    const now = Date.parse('2026-11-25T10:00:00Z')
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:01:00 GMT', now)).toBe(60)
  })

  it('maps the shapes of extra to one message per form field', () => {
    expect(fieldErrorsFrom({ password: 'Too short.' })).toEqual({ password: 'Too short.' })
    expect(fieldErrorsFrom({ name: ['Required.', 'Too long.'] })).toEqual({ name: 'Required. Too long.' })
    expect(fieldErrorsFrom([{ key: '$.password', message: 'Too short.' }])).toEqual({ password: 'Too short.' })
    expect(fieldErrorsFrom({ 'body.email': 'Bad.' })).toEqual({ email: 'Bad.' })
    expect(fieldErrorsFrom({ team_id: 'required' })).toEqual({ team_id: 'Required.' })
    expect(fieldErrorsFrom(null)).toEqual({})
  })
})
