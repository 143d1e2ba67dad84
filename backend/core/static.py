"""Serves the built PWA (frontend/dist) with an SPA fallback to index.html."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Request, Response, route
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

# Vite puts content-hashed files under assets/: they never change, cache them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Everything else (index.html, sw.js, manifest, icons) must be revalidated so updates show.
REVALIDATE = "no-cache"
def _is_api_path(path: str) -> bool:
    """/api/… and /schema/… belong to the server; /apiary or /schemas are the PWA's."""
    return any(path == p or path.startswith(p + "/") for p in ("api", "schema"))
# nosniff is on, so every file needs its true type; the OS table lacks some PWA types.
# Text types get "; charset=utf-8" from Litestar.
MEDIA_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
    ".woff2": "font/woff2",
    ".map": "application/json",
}


def _resolve(dist: Path, path: str) -> Path | None:
    candidate = (dist / path).resolve()
    if dist.resolve() not in candidate.parents and candidate != dist.resolve():
        return None  # a path that climbs out of dist
    return candidate if candidate.is_file() else None


OPT = {"exclude_from_auth": True}


@route("/", http_method=["GET", "HEAD"], opt=OPT, include_in_schema=False, sync_to_thread=False)
def spa_root(request: Request) -> Response:
    return _serve(request, "")


@route("/{path:path}", http_method=["GET", "HEAD"], opt=OPT, include_in_schema=False, sync_to_thread=False)
def spa(request: Request, path: FromPath[str]) -> Response:
    return _serve(request, path.lstrip("/"))


def _serve(request: Request, path: str) -> Response:
    if _is_api_path(path):
        raise NotFoundException("Nothing here: check the address.")
    dist: Path = request.app.state.settings.frontend_dist
    found = _resolve(dist, path) if path else None
    if found is None:
        if "." in Path(path).name or path == "robots.txt":
            raise NotFoundException(f"/{path} does not exist.")
        found = dist / "index.html"  # client-side route: the PWA decides
        if not found.is_file():
            return Response(
                "The web app has not been built yet: run `make run` (or `npm run build`).",
                status_code=503,
                media_type="text/plain",
            )
    cache = IMMUTABLE if path.startswith("assets/") else REVALIDATE
    media_type = MEDIA_TYPES.get(found.suffix.lower()) or mimetypes.guess_type(found.name)[0]
    return File(
        found,
        media_type=media_type or "application/octet-stream",
        headers={"cache-control": cache},
        content_disposition_type="inline",
    )
