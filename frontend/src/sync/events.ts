// "The local activity store changed": heard in this context at once, and in other tabs and
// the service worker through a BroadcastChannel, so every screen re-reads after a log,
// an edit, a delete or a sync, whoever made it.
const CHANNEL = 'followthrough-local-changes'

type Listener = () => void
const listeners = new Set<Listener>()
let channel: BroadcastChannel | null | undefined

function getChannel(): BroadcastChannel | null {
  if (channel !== undefined) return channel
  if (typeof BroadcastChannel === 'undefined') return (channel = null)
  channel = new BroadcastChannel(CHANNEL)
  // Node (unit tests) would otherwise keep the process alive for the channel.
  ;(channel as unknown as { unref?: () => void }).unref?.()
  channel.onmessage = () => emit()
  return channel
}

function emit(): void {
  for (const listener of [...listeners]) {
    try {
      listener()
    } catch {
      // One broken listener must not stop the others.
    }
  }
}

/** Call after committing a change to the activities, outbox or "needs attention" stores. */
export function notifyLocalChange(): void {
  emit()
  try {
    getChannel()?.postMessage('changed')
  } catch {
    // A closed channel (worker shutting down) is not worth failing a save for.
  }
}

/** Returns the unsubscribe function. */
export function onLocalChange(listener: Listener): () => void {
  getChannel()
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}
