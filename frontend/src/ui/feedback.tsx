// Loading, empty, error and success states, so every screen says what is going on.
import type { ComponentChildren } from 'preact'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  )
}

export function ErrorNotice({
  message,
  onRetry,
}: {
  message: string | null | undefined
  onRetry?: () => void
}) {
  if (!message) return null
  return (
    <div class="notice notice--error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function SuccessNotice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice notice--success" role="status">
      {children}
    </div>
  )
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty__title">{title}</p>
      {children && <div class="empty__body">{children}</div>}
    </div>
  )
}

/** Spinner text on the button while a form is submitting. */
export function SubmitButton({
  busy,
  children,
  busyLabel = 'Saving…',
  variant = 'primary',
  disabled = false,
}: {
  busy: boolean
  children: ComponentChildren
  busyLabel?: string
  variant?: 'primary' | 'secondary'
  disabled?: boolean
}) {
  return (
    <button type="submit" class={`button button--${variant}`} disabled={busy || disabled} aria-busy={busy ? 'true' : undefined}>
      {busy ? busyLabel : children}
    </button>
  )
}
