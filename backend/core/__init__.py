"""Cross-cutting pieces every domain uses: database, clock, errors, security. Imports no domain."""
