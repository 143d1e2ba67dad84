// A tiny history-API router: the current path is a signal, links are plain <a href>.
import { signal } from '@preact/signals'

export const currentPath = signal(typeof location === 'undefined' ? '/' : location.pathname)

export function navigate(to: string, { replace = false } = {}): void {
  const url = new URL(to, location.origin)
  if (replace) history.replaceState(null, '', url)
  else history.pushState(null, '', url)
  currentPath.value = url.pathname
  // A fragment (a push opening /history#kudos) scrolls to its section once it has rendered,
  // also when that screen is already open; otherwise a new screen starts at the top.
  const id = decodeURIComponent(url.hash.slice(1))
  if (id) setTimeout(() => document.getElementById(id)?.scrollIntoView(), 50)
  else window.scrollTo(0, 0)
}

/** Follow same-origin <a> clicks without a page load. */
export function startRouter(): void {
  window.addEventListener('popstate', () => {
    currentPath.value = location.pathname
  })
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const anchor = (event.target as Element | null)?.closest?.('a')
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return
    const url = new URL(anchor.href, location.href)
    if (url.origin !== location.origin) return
    // In-page anchors (the skip link) keep their default behaviour.
    if (url.pathname === location.pathname && url.hash) return
    // Paths the server owns must stay real page loads.
    if (/^\/(api|schema)(\/|$)/.test(url.pathname)) return
    event.preventDefault()
    navigate(url.pathname + url.search + url.hash)
  })
}
