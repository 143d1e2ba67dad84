// The frame of every screen: one h1, the document title, and focus moved to the
// heading after in-app navigation so screen-reader users hear where they are.
import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

let firstScreen = true

export function Screen({
  title,
  heading,
  intro,
  children,
}: {
  title: string
  heading?: ComponentChildren
  intro?: ComponentChildren
  children: ComponentChildren
}) {
  const h1 = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · Followthrough`
    if (firstScreen) firstScreen = false
    else h1.current?.focus({ preventScroll: true })
  }, [title])
  return (
    <div class="screen">
      <div class="screen__head">
        <h1 ref={h1} tabIndex={-1}>
          {heading ?? title}
        </h1>
        {intro && <div class="screen__intro">{intro}</div>}
      </div>
      {children}
    </div>
  )
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string
  children: ComponentChildren
  actions?: ComponentChildren
}) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
  return (
    <section class="card" aria-labelledby={id}>
      <div class="card__head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  )
}
