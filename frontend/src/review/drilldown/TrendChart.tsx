// Hand-made SVG charts of the drill-down: plan vs actual per activity type, and quality
// over time. Each is drawn at the width it gets (crisp text on a phone and a tablet), is
// one role="img" with a summary in words, and has the numbers as a table under a toggle.
import type { QualityPoint, TypeTrend } from '@contract/types'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { ComponentChildren, RefObject } from 'preact'
import { shortDate } from '../../plans/weeks'
import { SelectField } from '../../ui/fields'
import {
  activeFrom,
  bandScale,
  labelEvery,
  linearScale,
  niceScale,
  qualitySummary,
  shownLabels,
  trendSummary,
} from './chart'

const MIN_WIDTH = 260

/** The pixel width of the element, following resizes (rotation of a tablet). */
function useWidth(ref: RefObject<HTMLElement | null>, fallback = 640): number {
  const [width, setWidth] = useState(fallback)
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const update = () => setWidth(Math.max(MIN_WIDTH, Math.floor(element.clientWidth)))
    update()
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(update)
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref])
  return width
}

interface Frame {
  width: number
  height: number
  left: number
  right: number
  top: number
  bottom: number
}

function frameFor(width: number, height: number): Frame {
  return { width, height, left: 44, right: 12, top: 28, bottom: 44 }
}

function XAxis({ frame, weeks, baseline }: { frame: Frame; weeks: string[]; baseline: number }) {
  const bands = bandScale(weeks.length, frame.left, frame.width - frame.right)
  const shown = shownLabels(weeks.length, labelEvery(weeks.length, frame.width - frame.left - frame.right, 46))
  return (
    <g class="chart__axis">
      <line x1={frame.left} x2={frame.width - frame.right} y1={baseline} y2={baseline} class="chart__baseline" />
      {weeks.map((week, i) =>
        shown[i] ? (
          <text key={week} x={bands.centre(i)} y={baseline + 16} text-anchor="middle" class="chart__tick">
            {shortDate(week)}
          </text>
        ) : null,
      )}
      <text x={(frame.left + frame.width - frame.right) / 2} y={frame.height - 6} text-anchor="middle" class="chart__label">
        Week starting
      </text>
    </g>
  )
}

function YGrid({
  frame,
  ticks,
  y,
  format = String,
  label,
  labelY,
}: {
  frame: Frame
  ticks: number[]
  y: (value: number) => number
  format?: (value: number) => string
  label: string
  labelY: number
}) {
  return (
    <g class="chart__axis">
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={frame.left} x2={frame.width - frame.right} y1={y(tick)} y2={y(tick)} class="chart__grid" />
          <text x={frame.left - 6} y={y(tick) + 4} text-anchor="end" class="chart__tick">
            {format(tick)}
          </text>
        </g>
      ))}
      <text x={4} y={labelY} class="chart__label">
        {label}
      </text>
    </g>
  )
}

function TrendSvg({ trend, current, width }: { trend: TypeTrend; current: boolean; width: number }) {
  const frame = frameFor(width, width < 480 ? 230 : 260)
  const points = trend.points
  const scale = niceScale(Math.max(1, ...points.map((p) => Math.max(p.target, p.done_total))))
  const bottom = frame.height - frame.bottom
  const y = linearScale([0, scale.max], [bottom, frame.top])
  const bands = bandScale(points.length, frame.left, frame.width - frame.right, 0.3)
  const last = points.length - 1
  // The target as a dashed line through the weeks that had one, broken where none was set.
  const segments: string[] = []
  let run: string[] = []
  points.forEach((p, i) => {
    if (p.target > 0) run.push(`${bands.centre(i).toFixed(1)},${y(p.target).toFixed(1)}`)
    else if (run.length) {
      segments.push(run.join(' '))
      run = []
    }
  })
  if (run.length) segments.push(run.join(' '))
  return (
    <svg
      class="chart__svg"
      width={frame.width}
      height={frame.height}
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      role="img"
      aria-label={trendSummary(trend, current)}
    >
      <YGrid frame={frame} ticks={scale.ticks} y={y} label={`${trend.name}: activities per week`} labelY={14} />
      {points.map((p, i) => {
        const total = Math.max(p.done_total, p.done_qualifying)
        return (
          <g key={p.week_start} class={current && i === last ? 'chart__week chart__week--current' : 'chart__week'}>
            {total > 0 && (
              <rect class="trend__total" x={bands.x(i)} width={bands.width} y={y(total)} height={bottom - y(total)} />
            )}
            {p.done_qualifying > 0 && (
              <rect
                class="trend__qualifying"
                x={bands.x(i) + bands.width * 0.2}
                width={bands.width * 0.6}
                y={y(p.done_qualifying)}
                height={bottom - y(p.done_qualifying)}
              />
            )}
          </g>
        )
      })}
      {segments.map((pointsAttr) => (
        <polyline key={pointsAttr} class="trend__target-line" points={pointsAttr} />
      ))}
      {points.map((p, i) =>
        p.target > 0 ? (
          <line
            key={`t${p.week_start}`}
            class="trend__target"
            x1={bands.x(i) - 2}
            x2={bands.x(i) + bands.width + 2}
            y1={y(p.target)}
            y2={y(p.target)}
          />
        ) : null,
      )}
      <XAxis frame={frame} weeks={points.map((p) => p.week_start)} baseline={bottom} />
    </svg>
  )
}

function Legend({ items }: { items: { className: string; label: string }[] }) {
  return (
    <ul class="chart__legend" aria-hidden="true">
      {items.map((item) => (
        <li key={item.className}>
          <span class={`chart__swatch ${item.className}`} />
          {item.label}
        </li>
      ))}
    </ul>
  )
}

/** A table that may scroll sideways on a phone: a focusable, named region (keyboard users can scroll it). */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  )
}

function weekCell(week: string, isCurrent: boolean) {
  return (
    <th scope="row">
      {shortDate(week, true)}
      {isCurrent ? ' (so far)' : ''}
    </th>
  )
}

export function TrendChart({
  trends,
  current,
  initialTypeId,
}: {
  trends: TypeTrend[]
  /** True while the reviewed (last) week is still running. */
  current: boolean
  initialTypeId?: number | null
}) {
  const frameRef = useRef<HTMLDivElement>(null)
  const width = useWidth(frameRef)
  const [typeId, setTypeId] = useState<number | null>(() =>
    trends.some((t) => t.activity_type_id === initialTypeId) ? initialTypeId! : (trends[0]?.activity_type_id ?? null),
  )
  const trend = trends.find((t) => t.activity_type_id === typeId) ?? trends[0]
  if (!trend) return <p class="muted">No activity types to chart yet.</p>
  const from = activeFrom(trend.points)
  const last = trend.points.length - 1
  return (
    <div class="chart">
      <div class="chart__controls">
        <SelectField
          label="Activity type"
          name="trend-type"
          value={String(trend.activity_type_id)}
          options={trends.map((t) => ({ value: String(t.activity_type_id), label: t.name }))}
          onChange={(value) => setTypeId(Number(value))}
        />
      </div>
      <div class="chart__frame" ref={frameRef}>
        {/* Weeks before anything was planned or logged say nothing: start at the first that does. */}
        <TrendSvg
          trend={{ ...trend, points: trend.points.slice(Math.min(from, Math.max(0, trend.points.length - 4))) }}
          current={current}
          width={width}
        />
      </div>
      <Legend
        items={[
          { className: 'chart__swatch--target', label: 'Target (plan)' },
          { className: 'chart__swatch--qualifying', label: 'Qualifying done' },
          { className: 'chart__swatch--total', label: 'All logged' },
        ]}
      />
      {from === trend.points.length && <p class="muted small">Nothing planned or logged for {trend.name} in these weeks.</p>}
      <details class="chart__table">
        <summary>Show the numbers as a table</summary>
        <TableScroll label={`${trend.name} per week, as a table`}>
          <table class="data-table">
            <caption>
              {trend.name} per week: target, qualifying done, all logged and average quality
            </caption>
            <thead>
              <tr>
                <th scope="col">Week starting</th>
                <th scope="col">Target</th>
                <th scope="col">Qualifying</th>
                <th scope="col">Logged</th>
                <th scope="col">Avg quality</th>
              </tr>
            </thead>
            <tbody>
              {trend.points.map((p, i) => (
                <tr key={p.week_start}>
                  {weekCell(p.week_start, current && i === last)}
                  <td>{p.target > 0 ? p.target : '–'}</td>
                  <td>{p.done_qualifying}</td>
                  <td>{p.done_total}</td>
                  <td>{p.avg_quality === null ? '–' : p.avg_quality.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </div>
  )
}

function QualitySvg({ points, width }: { points: QualityPoint[]; width: number }) {
  const frame = frameFor(width, width < 480 ? 280 : 300)
  const gap = 36
  const plot = frame.height - frame.top - frame.bottom - gap
  const qualityBottom = frame.top + plot * 0.55
  const shareTop = qualityBottom + gap
  const shareBottom = frame.height - frame.bottom
  const yQuality = linearScale([1, 5], [qualityBottom, frame.top])
  const yShare = linearScale([0, 1], [shareBottom, shareTop])
  const bands = bandScale(points.length, frame.left, frame.width - frame.right, 0.4)
  // The average quality as a line, broken over weeks without rated activity.
  const segments: string[] = []
  let run: string[] = []
  points.forEach((p, i) => {
    if (p.avg_quality !== null && p.total > 0) run.push(`${bands.centre(i).toFixed(1)},${yQuality(p.avg_quality).toFixed(1)}`)
    else if (run.length) {
      segments.push(run.join(' '))
      run = []
    }
  })
  if (run.length) segments.push(run.join(' '))
  return (
    <svg
      class="chart__svg"
      width={frame.width}
      height={frame.height}
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      role="img"
      aria-label={qualitySummary(points)}
    >
      <YGrid frame={frame} ticks={[1, 2, 3, 4, 5]} y={yQuality} label="Average quality (1 to 5)" labelY={14} />
      {segments.map((attr) => (
        <polyline key={attr} class="quality__line" points={attr} />
      ))}
      {points.map((p, i) =>
        p.avg_quality !== null && p.total > 0 ? (
          <circle key={p.week_start} class="quality__point" cx={bands.centre(i)} cy={yQuality(p.avg_quality)} r={4} />
        ) : null,
      )}
      <YGrid
        frame={frame}
        ticks={[0, 0.5, 1]}
        y={yShare}
        format={(v) => `${Math.round(v * 100)}%`}
        label="Share meeting the quality bar"
        labelY={shareTop - 10}
      />
      {points.map((p, i) =>
        p.qualifying_share !== null && p.total > 0 ? (
          <rect
            key={`s${p.week_start}`}
            class="quality__share"
            x={bands.x(i)}
            width={bands.width}
            y={yShare(p.qualifying_share)}
            height={shareBottom - yShare(p.qualifying_share)}
          />
        ) : null,
      )}
      <XAxis frame={frame} weeks={points.map((p) => p.week_start)} baseline={shareBottom} />
    </svg>
  )
}

export function QualityChart({ points, current }: { points: QualityPoint[]; current: boolean }) {
  const frameRef = useRef<HTMLDivElement>(null)
  const width = useWidth(frameRef)
  if (points.length === 0) return <p class="muted">No weeks to show yet.</p>
  const last = points.length - 1
  const first = points.findIndex((p) => p.total > 0)
  const charted = points.slice(first === -1 ? Math.max(0, points.length - 4) : Math.min(first, Math.max(0, points.length - 4)))
  return (
    <div class="chart">
      <div class="chart__frame" ref={frameRef}>
        <QualitySvg points={charted} width={width} />
      </div>
      <Legend
        items={[
          { className: 'chart__swatch--quality', label: 'Average quality (line, 1 to 5)' },
          { className: 'chart__swatch--share', label: 'Share meeting the bar (bars)' },
        ]}
      />
      <details class="chart__table">
        <summary>Show the numbers as a table</summary>
        <TableScroll label="Quality per week, as a table">
          <table class="data-table">
            <caption>Quality per week: average quality (1 to 5), share meeting the quality bar, activities logged</caption>
            <thead>
              <tr>
                <th scope="col">Week starting</th>
                <th scope="col">Avg quality</th>
                <th scope="col">Meeting the bar</th>
                <th scope="col">Logged</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p, i) => (
                <tr key={p.week_start}>
                  {weekCell(p.week_start, current && i === last)}
                  <td>{p.avg_quality === null ? '–' : p.avg_quality.toFixed(1)}</td>
                  <td>{p.qualifying_share === null ? '–' : `${Math.round(p.qualifying_share * 100)}%`}</td>
                  <td>{p.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </div>
  )
}
