import { render } from 'preact'
import { App } from './App'
import { startServiceWorker } from './pwa'
import { startRouter } from './router'
import { startSession } from './session'
import { initTheme } from './theme'
import { warmUpDateFormats } from './time/intl'
import './styles.css'

initTheme()
startRouter()
const root = document.getElementById('app')!
root.replaceChildren() // index.html's "Opening Followthrough…" placeholder
render(<App />, root)
setTimeout(warmUpDateFormats, 0)
void startSession()
if (import.meta.env.PROD) startServiceWorker()
