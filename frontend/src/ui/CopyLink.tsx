// A read-only link with a Copy button, for one-time invitation URLs.
import { useId, useRef, useState } from 'preact/hooks'

export function CopyLink({ label, url }: { label: string; url: string }) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')

  async function copy() {
    try {
      await navigator.clipboard.writeText(url)
      setCopied('copied')
    } catch {
      // Clipboard API refused (permissions, http): select the text so a long-press works.
      input.current?.select()
      setCopied('failed')
    }
  }

  return (
    <div class="field copy-link">
      <label for={id}>{label}</label>
      <div class="copy-link__row">
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={url}
          onFocus={(event) => (event.currentTarget as HTMLInputElement).select()}
        />
        <button type="button" class="button button--primary" onClick={copy}>
          Copy
        </button>
      </div>
      <p class="field__hint" role="status">
        {copied === 'copied' && 'Link copied.'}
        {copied === 'failed' && 'Could not copy automatically: the link is selected, copy it by hand.'}
      </p>
    </div>
  )
}
