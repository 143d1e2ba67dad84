// Turning push reminders on and off for this device: browser subscription + server record.
import type { PushDevice } from '@contract/types'
import { getClientId } from '../db'
import { currentPushSubscription, subscribeToPush, unsubscribeFromPush } from '../pwa'
import { pushApi } from './api'
import { applicationServerKey, subscriptionBody } from './support'

export class PermissionRefusedError extends Error {
  constructor(readonly permission: NotificationPermission) {
    super(
      permission === 'denied'
        ? 'Notifications are blocked for this site.'
        : 'You closed the permission prompt without allowing notifications.',
    )
    this.name = 'PermissionRefusedError'
  }
}

/**
 * Must be the first thing a click handler does: browsers only show the permission
 * prompt in answer to a user gesture, and an `await` before it can lose the gesture.
 */
export function askPermission(): Promise<NotificationPermission> {
  if (Notification.permission === 'granted') return Promise.resolve('granted')
  return Notification.requestPermission()
}

async function register(subscription: PushSubscription): Promise<PushDevice> {
  const clientId = await getClientId().catch(() => null)
  return pushApi.subscribe(subscriptionBody(subscription.toJSON(), clientId, navigator.userAgent))
}

/** After permission was granted: subscribe in the browser and tell the server. */
export async function turnOnThisDevice(permission: Promise<NotificationPermission>, publicKey?: string): Promise<PushDevice> {
  const answer = await permission
  if (answer !== 'granted') throw new PermissionRefusedError(answer)
  const key = publicKey ?? (await pushApi.publicKey()).public_key
  const subscription = await subscribeToPush(applicationServerKey(key))
  return register(subscription)
}

/**
 * When the page opens: if the browser still holds a subscription, make sure the server
 * has it for this account (idempotent). Null when this device has none.
 */
export async function confirmThisDevice(): Promise<PushDevice | null> {
  const subscription = await currentPushSubscription()
  if (!subscription) return null
  return register(subscription)
}

/** Turn this device off: the server forgets it and the browser drops the subscription. */
export async function turnOffThisDevice(): Promise<void> {
  const subscription = await currentPushSubscription()
  if (!subscription) return
  await pushApi.remove({ endpoint: subscription.endpoint })
  await subscription.unsubscribe()
}

/** At sign-out (the server already removed this session's subscriptions). */
export async function forgetPushOnThisDevice(): Promise<void> {
  await unsubscribeFromPush().catch(() => null)
}
