"""Followthrough back end (Litestar + Piccolo)."""

import os

# Piccolo's CLI and migration runner find the engine through this module.
os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")

__version__ = "0.1.0"
