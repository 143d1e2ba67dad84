// Light / dark / system theme, kept in localStorage so it applies before the first paint.
import { signal } from '@preact/signals'

export type ThemeChoice = 'light' | 'dark' | 'system'
const KEY = 'followthrough.theme'

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(KEY)
    if (stored === 'light' || stored === 'dark' || stored === 'system') return stored
  } catch {
    // Storage can be blocked; the system theme is a fine default.
  }
  return 'system'
}

export const themeChoice = signal<ThemeChoice>('system')

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement
  if (choice === 'system') delete root.dataset.theme
  else root.dataset.theme = choice
}

export function setTheme(choice: ThemeChoice): void {
  themeChoice.value = choice
  try {
    localStorage.setItem(KEY, choice)
  } catch {
    // Not persisted this time; still applied for this visit.
  }
  applyTheme(choice)
}

export function initTheme(): void {
  themeChoice.value = readChoice()
  applyTheme(themeChoice.value)
}
