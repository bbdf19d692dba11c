"""Arabic-aware full-text search over articles and quotes (tantivy over keys we compute ourselves).

>>> sync_index(store)                                      # after every write; builds the index if none
>>> page = run_search(store, open_index(store), 'بيسكوف "الضمانات الأمنية"', SearchFilters(kind="quote"))
>>> page.hits[0].snippet_html                              # escaped, matches in <mark>
"""

from marsad.search.build import (
    SyncResult,
    analyzer_for,
    index_lag,
    open_index,
    rebuild_index,
    sync_index,
)
from marsad.search.engine import SearchFilters, SearchIndex
from marsad.search.query import QueryError, parse_query
from marsad.search.refs import resolve_entity_ref
from marsad.search.results import MAX_PAGE_SIZE, SearchHit, SearchPage, run_search

__all__ = [
    "MAX_PAGE_SIZE",
    "QueryError",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SyncResult",
    "analyzer_for",
    "index_lag",
    "open_index",
    "parse_query",
    "rebuild_index",
    "resolve_entity_ref",
    "run_search",
    "sync_index",
]
