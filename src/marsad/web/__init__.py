"""Web layer: JSON API and right-to-left HTML pages over a read-only store (``create_app``)."""

from marsad.web.app import create_app

__all__ = ["create_app"]
