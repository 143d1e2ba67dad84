// Background work (warming an offline cache, say) waits until the browser has nothing more
// urgent to do, so it never competes with the screen the person is waiting for.

/** Run `work` once the browser is idle (at the latest after `timeoutMs`); returns a cancel. */
export function whenIdle(work: () => void, timeoutMs = 5000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(() => work(), { timeout: timeoutMs })
    return () => cancelIdleCallback(id)
  }
  // Safari before 18 has no requestIdleCallback: a second is long enough for the first render.
  const id = setTimeout(work, Math.min(1000, timeoutMs))
  return () => clearTimeout(id)
}
