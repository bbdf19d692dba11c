"""Errors Marsad reports to users.

    MarsadError                 every error carries ``where`` (file, URL, id) and ``reason``
    ├── InputError              one input could not be read or parsed; the batch goes on
    │   ├── FetchError          a URL could not be fetched
    │   ├── FormatError         bytes are not a supported, well-formed document
    │   └── NotNews             a well-formed file that holds no articles (metadata JSON): skipped
    ├── ConfigError             a data or settings file is malformed (KB, markers, cues)
    ├── StoreError              the store cannot be opened, migrated or written
    └── NotFound                an id or name that the store does not hold

The CLI prints ``where: reason`` on one line and the API maps each class to an HTTP status.
"""

from __future__ import annotations


class MarsadError(Exception):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class InputError(MarsadError):
    pass


class FetchError(InputError):
    pass


class FormatError(InputError):
    pass


class NotNews(InputError):
    pass


class ConfigError(MarsadError):
    pass


class StoreError(MarsadError):
    pass


class NotFound(MarsadError):
    pass


def describe(stage: str, e: BaseException) -> str:
    """``stage: ExceptionType: message`` (one line, bounded) for an unexpected exception in a stage."""
    msg = " ".join(str(e).split())[:300]
    return f"{stage}: {type(e).__name__}: {msg}" if msg else f"{stage}: {type(e).__name__}"
