// Labelled form controls: every input has a visible label, and errors are tied to the
// input with aria-describedby so screen readers read them with the field.
import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'

interface BaseProps {
  label: string
  name: string
  error?: string | undefined
  hint?: ComponentChildren
}

interface TextFieldProps extends BaseProps {
  value: string
  onInput: (value: string) => void
  type?: 'text' | 'email' | 'password' | 'search' | 'url'
  autoComplete?: string
  required?: boolean
  minLength?: number
  maxLength?: number
  disabled?: boolean
  readOnly?: boolean
  inputMode?: 'email' | 'text'
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

/** The aria attributes a control inside FieldShell gets. */
export interface ControlProps {
  id: string
  'aria-invalid': 'true' | undefined
  'aria-describedby': string | undefined
}

/** What every labelled control shares: the label, an optional hint, the control, its error. */
export function FieldShell(props: {
  label: string
  hint?: ComponentChildren
  error?: string | undefined
  children: (control: ControlProps) => ComponentChildren
}) {
  const id = useId()
  const { label, hint, error, children } = props
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy(id, hint, error) })}
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

export function TextField(props: TextFieldProps) {
  const { label, name, error, hint, value, onInput, type = 'text', ...rest } = props
  return (
    <FieldShell label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          name={name}
          // Preact's typings narrow attributes per input type; ours are all text-like.
          type={type as 'text'}
          value={value}
          onInput={(event) => onInput((event.currentTarget as HTMLInputElement).value)}
          {...rest}
        />
      )}
    </FieldShell>
  )
}

interface TextAreaProps extends BaseProps {
  value: string
  onInput: (value: string) => void
  disabled?: boolean
  maxLength?: number
  rows?: number
}

export function TextArea(props: TextAreaProps) {
  const { label, name, error, hint, value, onInput, disabled, maxLength, rows = 3 } = props
  return (
    <FieldShell label={label} hint={hint} error={error}>
      {(control) => (
        <textarea
          {...control}
          name={name}
          rows={rows}
          value={value}
          disabled={disabled}
          maxLength={maxLength}
          onInput={(event) => onInput((event.currentTarget as HTMLTextAreaElement).value)}
        />
      )}
    </FieldShell>
  )
}

interface NumberFieldProps extends BaseProps {
  value: string
  onInput: (value: string) => void
  min?: number
}

/** A decimal number typed as text (so "0." can be typed on the way to "0.5"). */
export function NumberField(props: NumberFieldProps) {
  const { label, name, error, hint, value, onInput, min = 0 } = props
  return (
    <FieldShell label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          name={name}
          type="number"
          inputMode="decimal"
          min={min}
          value={value}
          onInput={(event) => onInput((event.currentTarget as HTMLInputElement).value)}
        />
      )}
    </FieldShell>
  )
}

export interface Option {
  value: string
  label: string
}

interface SelectFieldProps extends BaseProps {
  value: string
  options: Option[]
  onChange: (value: string) => void
  disabled?: boolean
  required?: boolean
}

export function SelectField(props: SelectFieldProps) {
  const { label, name, error, hint, value, options, onChange, disabled, required } = props
  return (
    <FieldShell label={label} hint={hint} error={error}>
      {(control) => (
        <select
          {...control}
          name={name}
          value={value}
          disabled={disabled}
          required={required}
          onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  )
}

interface CheckboxGroupProps {
  legend: string
  name: string
  options: Option[]
  selected: string[]
  onChange: (selected: string[]) => void
  empty?: string
  error?: string | undefined
}

export function CheckboxGroup(props: CheckboxGroupProps) {
  const id = useId()
  const { legend, name, options, selected, onChange, empty, error } = props
  const toggle = (value: string, checked: boolean) =>
    onChange(checked ? [...selected, value] : selected.filter((v) => v !== value))
  return (
    <fieldset class="field checks" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.length === 0 && empty && <p class="field__hint">{empty}</p>}
      {options.map((option) => (
        <label class="check" key={option.value}>
          <input
            type="checkbox"
            name={name}
            value={option.value}
            checked={selected.includes(option.value)}
            onChange={(event) => toggle(option.value, (event.currentTarget as HTMLInputElement).checked)}
          />
          <span>{option.label}</span>
        </label>
      ))}
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  )
}
