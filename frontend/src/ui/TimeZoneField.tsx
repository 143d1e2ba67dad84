// The time-zone picker: every IANA zone the browser knows (plus the current value, even
// if the browser lacks it), this device's zone marked, and a one-tap switch to it.
import { useMemo } from 'preact/hooks'
import { browserTimeZone, timeZoneOptions } from '../time/format'
import { SelectField } from './fields'

export function TimeZoneField(props: {
  value: string
  onChange: (zone: string) => void
  hint: string
  error?: string | undefined
  disabled?: boolean
}) {
  const { value, onChange, hint, error, disabled } = props
  const here = browserTimeZone()
  const initial = useMemo(() => value, []) // eslint-disable-line react-hooks/exhaustive-deps
  const zones = useMemo(() => {
    const all = timeZoneOptions()
    if (!all.includes(initial)) all.unshift(initial)
    return all
  }, [initial])
  return (
    <>
      <SelectField
        label="Time zone"
        name="time_zone"
        value={value}
        options={zones.map((z) => ({ value: z, label: z === here ? `${z} (this device)` : z }))}
        onChange={onChange}
        disabled={disabled}
        error={error}
        hint={hint}
      />
      {value !== here && (
        <p>
          <button type="button" class="button button--link" disabled={disabled} onClick={() => onChange(here)}>
            Use this device's time zone ({here})
          </button>
        </p>
      )}
    </>
  )
}
