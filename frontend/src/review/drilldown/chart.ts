// Pure geometry and words for the drill-down's hand-made SVG charts: nice axis ticks,
// linear and band scales, which x labels fit, and the text that stands in for a chart.
import type { QualityPoint, TypeTrend } from '@contract/types'
import { shortDate } from '../../plans/weeks'

export interface NiceScale {
  /** The top of the axis: a "nice" number at or above the largest value. */
  max: number
  step: number
  ticks: number[]
}

/** The smallest of 1, 2, 2.5, 5, 10 × 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  const fraction = raw / power
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
  return nice * power
}

/**
 * Ticks from 0 to a nice maximum covering `maxValue`, about `count` intervals.
 * Counts are whole numbers, so with `integer` the step is at least 1.
 */
export function niceScale(maxValue: number, count = 4, integer = true): NiceScale {
  const top = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 0
  if (top === 0) return { max: integer ? count : 1, step: integer ? 1 : 1 / count, ticks: range(0, integer ? count : 1, integer ? 1 : 1 / count) }
  let step = niceStep(top / count)
  if (integer) step = Math.max(1, Math.ceil(step))
  const max = Math.ceil(top / step - 1e-9) * step
  return { max, step, ticks: range(0, max, step) }
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = []
  const n = Math.round((to - from) / step)
  for (let i = 0; i <= n; i += 1) out.push(Number((from + i * step).toFixed(10)))
  return out
}

/** Maps [d0, d1] onto [r0, r1] (SVG y grows downwards: pass r0 = bottom). */
export function linearScale(domain: [number, number], outRange: [number, number]): (value: number) => number {
  const [d0, d1] = domain
  const [r0, r1] = outRange
  const span = d1 - d0 || 1
  return (value) => r0 + ((value - d0) / span) * (r1 - r0)
}

export interface Bands {
  /** Left edge of band i. */
  x: (index: number) => number
  /** Centre of band i. */
  centre: (index: number) => number
  width: number
}

/** `count` equal bands across [start, end] with `padding` (0–1) of each band left empty. */
export function bandScale(count: number, start: number, end: number, padding = 0.25): Bands {
  const slot = count > 0 ? (end - start) / count : end - start
  const width = slot * (1 - padding)
  return {
    x: (i) => start + i * slot + (slot - width) / 2,
    centre: (i) => start + i * slot + slot / 2,
    width,
  }
}

/** Show every n-th x label so labels about `labelPx` wide never overlap in `plotWidth`. */
export function labelEvery(count: number, plotWidth: number, labelPx = 48): number {
  if (count <= 0) return 1
  const slot = plotWidth / count
  return Math.max(1, Math.ceil(labelPx / Math.max(slot, 1)))
}

/** Which of `count` labels to show: every n-th counted from the last (the reviewed week). */
export function shownLabels(count: number, every: number): boolean[] {
  return Array.from({ length: count }, (_, i) => (count - 1 - i) % every === 0)
}

/** Weeks before the rep's first plan or log carry nothing: leave them out of the story. */
export function activeFrom(points: { target: number; done_total: number }[]): number {
  const first = points.findIndex((p) => p.target > 0 || p.done_total > 0)
  return first === -1 ? points.length : first
}

/** The words that stand in for the trend chart (the svg's aria-label). */
export function trendSummary(trend: TypeTrend, current: boolean): string {
  const points = trend.points
  const name = trend.name
  if (points.length === 0) return `${name}: no weeks to show.`
  const from = activeFrom(points)
  const first = points[0]!
  const last = points[points.length - 1]!
  const span = `${points.length} weeks from ${shortDate(first.week_start)} to ${shortDate(last.week_start)}`
  if (from === points.length) return `${name}, ${span}: nothing planned or logged.`
  const active = points.slice(from)
  const planned = active.filter((p) => p.target > 0)
  // The running week is not over: leave it out of "met the target" counts.
  const finished = current ? planned.filter((p) => p !== last) : planned
  const met = finished.filter((p) => p.done_qualifying >= p.target).length
  const lastWords = `${current ? 'this week so far' : `the week of ${shortDate(last.week_start)}`}: ${last.done_qualifying} qualifying of ${last.target > 0 ? `a target of ${last.target}` : 'no target'}, ${last.done_total} logged`
  const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1)
  const doneWeeks = current ? active.slice(0, -1) : active
  const average = doneWeeks.length ? Math.round(avg(doneWeeks.map((p) => p.done_qualifying)) * 10) / 10 : null
  const parts = [`${name}, ${span}.`]
  if (finished.length) parts.push(`Target met in ${met} of ${finished.length} finished ${finished.length === 1 ? 'week' : 'weeks'} with a plan.`)
  if (average !== null) parts.push(`On average ${average} qualifying a week.`)
  parts.push(`${lastWords[0]!.toUpperCase()}${lastWords.slice(1)}.`)
  return parts.join(' ')
}

/** The words that stand in for the quality chart. */
export function qualitySummary(points: QualityPoint[]): string {
  const rated = points.filter((p) => p.avg_quality !== null && p.total > 0)
  if (rated.length === 0) return 'Quality over time: no rated activity in these weeks.'
  const first = rated[0]!
  const last = rated[rated.length - 1]!
  const share = (s: number | null) => (s === null ? 'unknown' : `${Math.round(s * 100)}%`)
  const lowest = rated.reduce((a, b) => ((b.avg_quality ?? 5) < (a.avg_quality ?? 5) ? b : a))
  return (
    `Quality over time, ${rated.length} ${rated.length === 1 ? 'week' : 'weeks'} with activity. ` +
    `Average quality went from ${first.avg_quality!.toFixed(1)} (week of ${shortDate(first.week_start)}) ` +
    `to ${last.avg_quality!.toFixed(1)} (week of ${shortDate(last.week_start)}) on a scale of 1 to 5; ` +
    `lowest ${lowest.avg_quality!.toFixed(1)} in the week of ${shortDate(lowest.week_start)}. ` +
    `Share meeting the quality bar: ${share(first.qualifying_share)} then ${share(last.qualifying_share)}.`
  )
}
