"""Arabic-aware full-text search over articles and quotes (tantivy over keys we compute ourselves).

>>> rebuild_index(store)                                   # or update_index(store, new_ids) after ingest
>>> page = run_search(store, open_index(store), 'بيسكوف "الضمانات الأمنية"', SearchFilters(kind="quote"))
>>> page.hits[0].snippet_html                              # escaped, matches in <mark>
"""

from marsad.search.build import analyzer_for, index_path_for, open_index, rebuild_index, update_index
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
    "analyzer_for",
    "index_path_for",
    "open_index",
    "parse_query",
    "rebuild_index",
    "resolve_entity_ref",
    "run_search",
    "update_index",
]
