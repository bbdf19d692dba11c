"""Alerts: standing queries evaluated over what each ingest round wrote, and delivered three ways.

A rule (``marsad alert add``) names what to watch for: words (the search syntax), an entity, a speaker,
a stance, or stories reaching N independent sources. After every ``ingest``, ``batch`` and ``watch``
round :func:`run_alerts` looks only at the articles written since the rule last looked (the store's
revisions: new, updated, re-analysed or re-assigned articles), never at the archive, and delivers each
item it finds as an Atom entry (``serve``: ``/alerts/NAME.atom``), a JSON Lines record, and optionally a
webhook POST. Hits are stored keyed by rule and item, so an item reaches a rule once; the two push
channels are retried on later rounds until they succeed (at least once), and a failing webhook is a
warning, never a failed ingest.
"""

from marsad.alerts.rules import RuleError, make_rule
from marsad.alerts.run import AlertRun, run_alerts, test_rule

__all__ = ["AlertRun", "RuleError", "make_rule", "run_alerts", "test_rule"]
