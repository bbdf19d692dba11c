"""One HTTP GET with the limits every fetch in marsad needs: a size cap and a total deadline.

Used by ``discover`` for URLs given on the command line (:mod:`marsad.ingest.sources`) and by
``marsad watch`` for feeds (with conditional-request headers). Failures never raise: they come back as
:attr:`Fetched.error`, a short message for the report.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

USER_AGENT = "marsad/0.1 (news monitoring)"


@dataclass
class Fetched:
    status: int = 0  # 0 when no response arrived
    data: bytes = b""  # empty for 304 Not Modified and on any error
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    error: str | None = None
    timed_out: bool = False  # the error is a connect/read timeout (callers word that one themselves)


def fetch(
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: float,
    max_bytes: int,
    deadline: float | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Fetched:
    """GET ``url`` following redirects; ``timeout`` bounds each network wait, ``deadline`` (seconds, if
    given) the whole download, which also stops a server that trickles bytes.

    A status of 400 or more is an error (``HTTP 404``) and its body is not read; so is a body over
    ``max_bytes``. A ``304`` comes back without data or error.
    """
    until = None if deadline is None else time.monotonic() + deadline
    try:
        with (
            httpx.Client(
                timeout=httpx.Timeout(timeout),
                follow_redirects=True,
                headers=dict(headers),
                transport=transport,
            ) as client,
            client.stream("GET", url) as resp,
        ):
            out = Fetched(
                status=resp.status_code,
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
                content_type=resp.headers.get("content-type", ""),
            )
            if resp.status_code == 304:
                return out
            if resp.status_code >= 400:
                out.error = f"HTTP {resp.status_code}"
                return out
            chunks, total = [], 0
            for chunk in resp.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    out.error = "response too large"
                    return out
                if until is not None and time.monotonic() > until:
                    out.error = f"too slow (over {deadline:.0f} s)"
                    return out
                chunks.append(chunk)
            out.data = b"".join(chunks)
            return out
    except httpx.TimeoutException:
        return Fetched(error=f"timed out after {timeout:g} s", timed_out=True)
    except httpx.HTTPError as e:
        return Fetched(error=f"unreachable ({type(e).__name__}: {e})")
