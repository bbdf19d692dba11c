"""A rule's hits as an Atom feed (RFC 4287), newest first; ``marsad serve`` answers ``/alerts/NAME.atom``.

Entry ids are stable UUID URNs of rule and item, so a feed reader shows each item once however often it
polls. Text is Arabic: the feed says ``xml:lang="ar"`` and serialises as UTF-8.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from marsad.store.base import AlertHit, AlertRule

ATOM = "http://www.w3.org/2005/Atom"
_NS = uuid.UUID("6b1d7c52-4a3e-4e0c-9a8e-6d61727361ad")  # Marsad's namespace for entry ids
_STANCE_AR = {
    "statement": "تصريح",
    "confirmation": "تأكيد",
    "denial": "نفي",
    "claim": "ادعاء",
    "rejection": "رفض",
    "warning": "تحذير",
    "accusation": "اتهام",
    "demand": "مطالبة",
    "promise": "وعد",
}


def _urn(*parts: str) -> str:
    return uuid.uuid5(_NS, "\x1f".join(parts)).urn


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def entry_title(p: dict[str, object]) -> str:
    if p.get("kind") == "quote":
        stance = _STANCE_AR.get(str(p.get("stance")), str(p.get("stance")))
        return f"{p.get('speaker') or '؟'} ({stance}): {p.get('text')}"
    if p.get("kind") == "story":
        return f"{p.get('title')} — {p.get('independent_sources')} مصادر مستقلة"
    return str(p.get("title") or p.get("text") or "")[:200]


def atom_feed(rule: AlertRule, hits: list[AlertHit], *, base_url: str = "") -> bytes:
    """The feed document (UTF-8 XML) of ``rule`` with ``hits`` (newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ar"})
    _sub(feed, "id", _urn("alert", rule.name))
    _sub(feed, "title", f"مرصد — تنبيه: {rule.name}")
    updated = (
        hits[0].found_at if hits else (rule.created_at or datetime.now(UTC).isoformat(timespec="seconds"))
    )
    _sub(feed, "updated", updated)
    author = _sub(feed, "author")
    _sub(author, "name", "Marsad (مرصد)")
    _sub(feed, "link", rel="self", href=f"{base_url}/alerts/{rule.name}.atom")
    _sub(feed, "generator", "Marsad")
    for h in hits:
        p = json.loads(h.payload)
        e = _sub(feed, "entry")
        _sub(e, "id", _urn("alert", rule.name, h.item))
        _sub(e, "title", entry_title(p))
        _sub(e, "updated", h.found_at)
        if p.get("published"):
            _sub(e, "published", str(p["published"]))
        target = f"/stories/{p['story_id']}" if h.kind == "story" else f"/articles/{p.get('article_id')}"
        _sub(e, "link", rel="alternate", href=f"{base_url}{target}")
        if p.get("url"):
            _sub(e, "link", rel="via", href=str(p["url"]))
        if p.get("outlet"):
            src = _sub(e, "source")
            _sub(src, "title", str(p["outlet"]))
        lines = [str(p.get("text") or "")]
        if h.kind == "quote" and p.get("title"):
            lines.append(f"— {p['title']}")
        _sub(e, "summary", "\n".join(x for x in lines if x))
        _sub(e, "category", term=h.kind)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
