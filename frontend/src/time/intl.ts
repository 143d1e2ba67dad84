// Building an Intl.DateTimeFormat costs one to two milliseconds on a phone (locale and zone
// data are resolved each time); formatting with a built one costs microseconds. The
// screens format dozens of dates per render, so every formatter is built once per locale
// and options, and reused. An unknown zone still throws RangeError, and is not remembered.

const formats = new Map<string, Intl.DateTimeFormat>()

export function dateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''} ${JSON.stringify(options)}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options)
    formats.set(key, format)
  }
  return format
}

/**
 * The first formatter a page builds also loads the locale and zone data (20-30 ms on a
 * phone). main.tsx calls this in a task of its own while the session check is on its way,
 * so that cost does not land inside the first screen's render.
 */
export function warmUpDateFormats(): void {
  dateTimeFormat(undefined, { timeZone: 'UTC', day: 'numeric' }).format(0)
}
