import { fileURLToPath } from 'node:url'
import preact from '@preact/preset-vite'
import type { PluginOption } from 'vite'
import { defineConfig } from 'vitest/config'
import { VitePWA } from 'vite-plugin-pwa'

const frontendDir = fileURLToPath(new URL('.', import.meta.url))
const repoDir = fileURLToPath(new URL('..', import.meta.url))
const contractTypes = fileURLToPath(new URL('../shared_schemas/types.gen.ts', import.meta.url))

const API_TARGET = process.env.FOLLOWTHROUGH_API ?? 'http://127.0.0.1:8000'

// The brand colour lives here, in the CSS (--brand) and in scripts/make_icons.py.
const THEME_COLOR = '#1f4ed8'

function pwa(): PluginOption {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src/sw',
    filename: 'sw.ts',
    // src/pwa.ts registers the worker itself: no inline or injected register script (CSP).
    injectRegister: false,
    registerType: 'prompt',
    // The glob picks up every icon (the plugin adds the manifest itself); listing them
    // again would duplicate precache entries.
    injectManifest: {
      globPatterns: ['**/*.{js,css,html,png,svg}'],
    },
    includeManifestIcons: false,
    manifest: {
      id: '/',
      name: 'Followthrough',
      short_name: 'Followthrough',
      description:
        'Weekly behaviour plans, activity logging and coaching for sales teams — works offline.',
      lang: 'en',
      theme_color: THEME_COLOR,
      background_color: '#f6f7f9',
      display: 'standalone',
      orientation: 'any',
      start_url: '/',
      scope: '/',
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
        { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
  })
}

export default defineConfig({
  root: frontendDir,
  publicDir: 'public',
  resolve: {
    alias: { '@contract/types': contractTypes },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Keep every asset a file: no data: URLs sneaking past the CSP's intent.
    assetsInlineLimit: 0,
  },
  server: {
    // The generated contract types live outside the Vite root.
    fs: { allow: [repoDir] },
    // `npm run dev` talks to a running back end (`make run`). Its CSRF check wants the
    // Origin to be its own PUBLIC_URL, so the proxy presents the back end's origin.
    proxy: {
      '/api': {
        target: API_TARGET,
        configure: (proxy) => {
          proxy.on('proxyReq', (request) => {
            if (request.getHeader('origin')) request.setHeader('origin', API_TARGET)
          })
        },
      },
    },
  },
  plugins: [preact(), process.env.VITEST ? null : pwa()],
  test: {
    root: frontendDir,
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
})
