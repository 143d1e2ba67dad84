"""Reminders: Web Push subscriptions, VAPID keys, and reminder times in each rep's zone."""
