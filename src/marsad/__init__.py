"""Marsad (مرصد): Arabic-first news monitoring.

Raw news in, structured knowledge out: ingest → parse and clean → normalize → store, then entities,
quotes, stories, search and exports on top. :mod:`marsad.service` holds the use cases; :mod:`marsad.model`
the records.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
