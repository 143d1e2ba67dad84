// Kudos reaching the rep: the banner on Home (unseen kudos, "Thanks!" marks them seen) and
// the list in History (newest first, remembered for reading offline).
import type { Kudos, Me } from '@contract/types'
import { useEffect, useState } from 'preact/hooks'
import { describeError, OfflineError } from '../api/client'
import { reviewApi } from '../api/review'
import { StaleNotice } from '../plans/PlanParts'
import { useRead, type Read } from '../plans/read'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { bannerKudos, kudosDate, kudosHeadline, kudosReason, replaceKudos, sortKudos } from './kudos'
import './kudos.css'

function StarIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false" fill="none"
      stroke="currentColor" stroke-width="1.8" stroke-linejoin="round">
      <path d="M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z" />
    </svg>
  )
}

/** The signed-in rep's own kudos, newest first; Home and History share the remembered list. */
export function useMyKudos(user: Me): Read<Kudos[]> {
  return useRead(user.role === 'rep' ? `kudos:${user.id}` : null, () => reviewApi.kudos())
}

/** Unseen kudos on the rep's Home. Quiet when offline or when the list cannot load. */
export function KudosBanner({ kudos }: { kudos: Read<Kudos[]> }) {
  // Only fresh answers: remembered kudos shown offline could not be thanked anyway.
  if (!kudos.data || kudos.stale) return null
  const { shown, more } = bannerKudos(kudos.data)
  if (shown.length === 0) return null
  return (
    <section class="kudos-banners" aria-label="Kudos for you">
      {shown.map((k) => (
        <KudosBannerItem key={k.id} kudos={k} onSeen={(updated) => kudos.setData((list) => replaceKudos(list, updated))} />
      ))}
      {more > 0 && (
        <p class="small">
          <a href="/history#kudos">
            {more} more waiting in your history
          </a>
        </p>
      )}
    </section>
  )
}

function KudosBannerItem({ kudos, onSeen }: { kudos: Kudos; onSeen: (kudos: Kudos) => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const reason = kudosReason(kudos)
  const headingId = `kudos-banner-${kudos.id}`

  async function thanks() {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      onSeen(await reviewApi.markKudosSeen(kudos.id))
    } catch (failure) {
      setError(
        failure instanceof OfflineError
          ? "You're offline: we'll keep this here until you can say thanks."
          : describeError(failure),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <article class="kudos-banner" aria-labelledby={headingId}>
      <span class="kudos-banner__icon" aria-hidden="true">
        <StarIcon />
      </span>
      <div class="kudos-banner__text">
        <h2 class="kudos-banner__title" id={headingId}>
          {kudosHeadline(kudos)}
          {kudos.message ? ':' : ''}
        </h2>
        {kudos.message && <p class="kudos-banner__message">“{kudos.message}”</p>}
        {reason && <p class="kudos-banner__reason small">For: {reason}</p>}
        {error && (
          <p class="kudos-banner__error small" role="alert">
            {error}
          </p>
        )}
      </div>
      <button
        type="button"
        class="button button--secondary kudos-banner__thanks"
        onClick={() => void thanks()}
        disabled={busy}
        aria-describedby={headingId}
      >
        {busy ? 'Saying thanks…' : 'Thanks!'}
      </button>
    </article>
  )
}

/** The kudos list (History, and the drill-down's Kudos section). */
export function KudosList({
  list,
  timeZone,
  own,
  headingLevel = 3,
}: {
  list: Kudos[]
  timeZone: string
  /** Phrase for the rep themselves ("From Morgan") vs a manager ("From Morgan to Riley"). */
  own: boolean
  headingLevel?: 3 | 4
}) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4'
  return (
    <ul class="kudos-list">
      {sortKudos(list).map((k) => {
        const reason = kudosReason(k)
        return (
          <li key={k.id} class="kudos-item">
            <Heading class="kudos-item__from">
              From {k.from_name}
              {!own && <span class="muted"> to {k.rep_name}</span>}
            </Heading>
            <p class="kudos-item__date small muted">
              <time dateTime={k.created_at}>{kudosDate(k.created_at, timeZone)}</time>
              {k.seen_at === null && !own ? ' · not seen yet' : ''}
            </p>
            {k.message && <p class="kudos-item__message">“{k.message}”</p>}
            {reason && <p class="kudos-item__reason small">For: {reason}</p>}
          </li>
        )
      })}
    </ul>
  )
}

/** History's "Kudos" section; `#kudos` (the push notification's address) scrolls here. */
export function KudosSection({ user, ready }: { user: Me; ready: boolean }) {
  const kudos = useMyKudos(user)
  const loaded = kudos.data !== undefined || !!kudos.error
  useEffect(() => {
    // Wait for the logs above to render too, so the section does not move after the scroll.
    if (ready && loaded && location.hash === '#kudos') document.getElementById('kudos')?.scrollIntoView()
  }, [ready, loaded])
  return (
    <section class="card" id="kudos" aria-labelledby="kudos-title" tabIndex={-1}>
      <div class="card__head">
        <h2 id="kudos-title">Kudos</h2>
      </div>
      <StaleNotice show={kudos.stale} onRetry={kudos.reload} />
      {kudos.loading && <Loading label="Loading your kudos…" />}
      <ErrorNotice message={kudos.error} onRetry={kudos.reload} />
      {kudos.data && kudos.data.length === 0 && (
        <EmptyState title="No kudos yet">
          <p>When your manager sends you kudos, they show here.</p>
        </EmptyState>
      )}
      {kudos.data && kudos.data.length > 0 && <KudosList list={kudos.data} timeZone={user.time_zone} own />}
    </section>
  )
}
