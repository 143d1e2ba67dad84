"""Accounts: users, roles, teams, sessions and invitations."""
