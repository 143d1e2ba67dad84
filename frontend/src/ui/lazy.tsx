// Screens whose code is fetched the first time they are shown, so the first load carries
// only what signing in and the rep's everyday screens need (see App.tsx). The service
// worker precaches every chunk, so a lazy screen still opens offline once it is installed.
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ErrorNotice, Loading } from './feedback'

export type LazyScreen<P> = ComponentType<P> & {
  /** Start fetching the code now (e.g. for the screen the app opens on). */
  preload: () => void
}

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let loaded: ComponentType<P> | null = null
  let pending: Promise<ComponentType<P>> | null = null
  const fetchCode = (): Promise<ComponentType<P>> =>
    (pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = null // a later attempt (Try again, back online) fetches afresh
        throw error
      },
    ))

  function Lazy(props: P) {
    const [, setReady] = useState(0)
    const [failed, setFailed] = useState(false)
    const [attempt, setAttempt] = useState(0)
    useEffect(() => {
      if (loaded) return
      let live = true
      fetchCode().then(
        () => live && setReady((n) => n + 1),
        () => live && setFailed(true),
      )
      return () => {
        live = false
      }
    }, [attempt])
    if (loaded) {
      const Screen = loaded
      return <Screen {...props} />
    }
    if (failed) {
      return (
        <ErrorNotice
          message="This screen could not be loaded. Check your connection and try again."
          onRetry={() => {
            setFailed(false)
            setAttempt((n) => n + 1)
          }}
        />
      )
    }
    return <Loading />
  }
  return Object.assign(Lazy, { preload: () => void fetchCode().catch(() => undefined) })
}
