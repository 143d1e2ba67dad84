// Page chrome: header, navigation (bottom tabs on phones, side bar from 768px), main.
import type { ComponentChildren } from 'preact'
import { applyUpdate, updateReady } from '../pwa'
import { currentPath } from '../router'
import { online } from '../session'
import type { NavItem } from '../navigation'
import { Icon } from './icons'

function Brand({ href }: { href: string }) {
  return (
    <a class="brand" href={href}>
      <img src="/favicon.svg" alt="" width="28" height="28" />
      <span>Followthrough</span>
    </a>
  )
}

function OfflineBadge() {
  if (online.value) return null
  return (
    <span class="offline-badge" role="status" title="Changes are kept on this device until you're back online.">
      <span class="offline-badge__dot" aria-hidden="true" />
      Offline
    </span>
  )
}

function UpdatePrompt() {
  if (!updateReady.value) return null
  return (
    <div class="update-prompt" role="status">
      <span>A new version is ready</span>
      <button type="button" class="button button--primary" onClick={applyUpdate}>
        Reload
      </button>
    </div>
  )
}

function Header({ home }: { home: string }) {
  return (
    <header class="topbar">
      <Brand href={home} />
      <OfflineBadge />
    </header>
  )
}

function SkipLink() {
  return (
    <a class="skip-link" href="#main">
      Skip to main content
    </a>
  )
}

export function AppShell({ items, children }: { items: NavItem[]; children: ComponentChildren }) {
  const path = currentPath.value
  return (
    <div class="shell shell--app">
      <SkipLink />
      <Header home={items[0]?.path ?? '/'} />
      <nav class="nav" aria-label="Main">
        <ul>
          {items.map((item) => (
            <li key={item.path}>
              <a
                href={item.path}
                class="nav__link"
                aria-label={item.short ? item.label : undefined}
                aria-current={item.path === path ? 'page' : undefined}
              >
                <Icon name={item.icon} />
                {item.short ? (
                  <>
                    <span class="nav__short">{item.short}</span>
                    <span class="nav__full">{item.label}</span>
                  </>
                ) : (
                  <span>{item.label}</span>
                )}
                {item.count && item.count.value > 0 && (
                  <span class="nav__count">
                    {item.count.value}
                    <span class="visually-hidden"> {item.countLabel}</span>
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <UpdatePrompt />
    </div>
  )
}

/** Sign-in, invitations and the start-up splash: no navigation. */
export function PublicShell({ children }: { children: ComponentChildren }) {
  return (
    <div class="shell shell--public">
      <SkipLink />
      <Header home="/" />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <UpdatePrompt />
    </div>
  )
}
