import { render } from 'preact'
import { App } from './App'
import { startServiceWorker } from './pwa'
import { startRouter } from './router'
import { startSession } from './session'
import { initTheme } from './theme'
import './styles.css'

initTheme()
startRouter()
render(<App />, document.getElementById('app')!)
void startSession()
if (import.meta.env.PROD) startServiceWorker()
