"""Quote attribution, end to end through the CLI: seeds and the quotes dev set (a benchmark, not a test).

    .venv/bin/python bench/eval_quotes.py [--only seeds|dev|heldout] [-v] [--degrade] [--speed [N]] [--keep DIR]

The held-out part (``quotes_heldout.jsonl``) is measured and reported, never tuned on: read its figures,
not its errors (``-v`` lists errors for the seeds and the dev part only).

For each set: ``marsad ingest`` → ``marsad export`` → ``../shared/tools/score.py`` (its figures are
printed as is), then a breakdown of the errors with the scorer's own matching rule (a gold quote is
matched one to one by the unused predicted quote of best token F1, if ≥ 0.5):

* missed required quotes, counted by kind and cue;
* matched quotes with the wrong speaker (predicted vs gold speaker);
* extras: predicted quotes that match no gold quote.

``--degrade`` also scores seeded degraded copies of the dev and held-out sets (``dev_degraded``,
``heldout_degraded``: plain-text pages without dates or outlets, with furniture, glued bylines and
datelines, hard wraps, other quote marks, cut-off ends; ``bench/devsets/degrade_quotes.py``) and prints
their figures beside the clean ones.

``-v`` lists every error with its file and the start of its text. ``--speed`` times ``extract_quotes``
alone (mentions computed beforehand, untimed) over N ANT articles (default 3000).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SCORE = SHARED / "tools" / "score.py"
SEEDS = SHARED / "seeds"
DEVSET = REPO / "bench" / "devsets" / "quotes_dev.jsonl"
HELDOUT = REPO / "bench" / "devsets" / "quotes_heldout.jsonl"
SEEDS_ANSWERS = REPO / "bench" / "devsets" / "seeds_answers.json"  # what the seed denials answer
NEWS = SHARED / "data" / "news"


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("marsad_score", SCORE)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _marsad(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "marsad", *args], check=True, stdout=subprocess.DEVNULL)


def _pipeline(inputs: Path, gold: Path, work: Path, name: str) -> tuple[Path, dict[str, Any]]:
    db, out = work / f"{name}.db", work / f"{name}.jsonl"
    for p in work.glob(f"{name}.db*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()  # the search index is a folder
    _marsad("ingest", str(inputs), "--db", str(db))
    _marsad("export", "--db", str(db), "--format", "jsonl", "-o", str(out))
    res = subprocess.run(
        [sys.executable, str(SCORE), str(gold), str(out)], capture_output=True, text=True, check=True
    )
    keep = ("persons_P_R_F1", "quotes_span_P_R", "quotes_attributed_P_R_F1")
    figs: dict[str, Any] = {}
    for line in res.stdout.splitlines():
        if line.startswith(keep):
            print(f"  {line}")
            key, _, value = line.partition(":")
            figs[key] = list(ast.literal_eval(value.strip()))
    return out, figs


def _speaker_str(sp: Any) -> str:
    if not sp:
        return "∅"
    if isinstance(sp, str):
        return sp
    name = sp.get("name") or ""
    en = sp.get("name_en")
    surface = sp.get("surface")
    s = f"{name} [{en}]" if en else name
    if surface and surface != name:
        s += f" ⟨{surface}⟩"
    return s


def _short(text: str, n: int = 70) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def breakdown(gold_path: Path, export: Path, verbose: bool, held_out: bool = False) -> dict[str, float]:
    """Print the error breakdown; return recall per speaker type and per stance (``recall_<name>``).
    For the held-out part only the figures are printed: which cues it misses would be tuning signal."""
    sc = _score_module()
    gold = sc.load_gold(str(gold_path))
    pred: dict[tuple[str, int], dict[str, Any]] = {}
    for line in export.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            pred[(Path(str(r.get("source_file", ""))).name, int(r.get("part", 0)))] = r
    missed: list[tuple[str, dict[str, Any]]] = []
    wrong: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    extras: list[tuple[str, dict[str, Any]]] = []
    req = Counter[str]()
    hit = Counter[str]()
    by_type = Counter[str]()  # required gold quotes per speaker type, and those attributed right
    right_type = Counter[str]()
    by_stance = Counter[str]()  # matched gold quotes per stance, and those with the same stance
    right_stance = Counter[str]()
    off_stance: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    confusion = Counter[tuple[str, str]]()  # (gold, predicted) stance of matched required quotes
    answering: list[tuple[str, dict[str, Any], dict[str, Any]]] = []  # matched gold denials and rejections
    for key, g in sorted(gold.items()):
        if "quotes" not in g:
            continue
        pq = list(pred.get(key, {}).get("quotes") or [])
        used: set[int] = set()
        for qq in g["quotes"]:
            best, bi = 0.0, None
            for i, p in enumerate(pq):
                if i in used:
                    continue
                o = sc.overlap(p.get("text", ""), qq["text"])
                if o > best:
                    best, bi = o, i
            required = qq.get("required", True)
            if required:
                req[qq["kind"]] += 1
                by_type[qq.get("speaker_type", "?")] += 1
            if best >= 0.5 and bi is not None:
                used.add(bi)
                if not required:
                    continue
                hit[qq["kind"]] += 1
                surf = [qq["speaker_surface"]] if qq.get("speaker_surface") else []
                by_stance[qq.get("stance", "?")] += 1
                right_stance[qq.get("stance", "?")] += pq[bi].get("stance") == qq.get("stance")
                confusion[(qq.get("stance", "?"), str(pq[bi].get("stance", "?")))] += 1
                if pq[bi].get("stance") != qq.get("stance"):
                    off_stance.append((key[0], qq, pq[bi]))
                if qq.get("stance") in _ANSWERING:
                    answering.append((key[0], qq, pq[bi]))
                if not sc.name_match(pq[bi].get("speaker"), qq["speaker"], surf):
                    wrong.append((key[0], qq, pq[bi]))
                else:
                    right_type[qq.get("speaker_type", "?")] += 1
            elif required:
                missed.append((key[0], qq))
        extras.extend((key[0], p) for i, p in enumerate(pq) if i not in used)
    print("  span recall by kind: " + ", ".join(f"{k} {hit[k]}/{req[k]}" for k in sorted(req)))
    print(
        "  attributed recall by speaker type: "
        + ", ".join(f"{k} {right_type[k]}/{v} {right_type[k] / v:.2f}" for k, v in by_type.most_common())
    )
    print(
        "  stance right among matched, by gold stance: "
        + ", ".join(f"{k} {right_stance[k]}/{v}" for k, v in by_stance.most_common())
    )
    stance_req = Counter(q.get("stance", "?") for qs in _required(gold) for q in qs)
    print(
        "  stance recall (matched with that stance / required gold): "
        + ", ".join(
            f"{k} {right_stance[k]}/{v} {right_stance[k] / v:.2f}" for k, v in stance_req.most_common()
        )
    )
    figs = {f"recall_{k}": round(right_type[k] / v, 3) for k, v in by_type.items()}
    figs.update({f"recall_{k}": round(right_stance[k] / v, 3) for k, v in stance_req.items()})
    org_media = by_type["organization"] + by_type["media"]
    if org_media:
        figs["recall_org_media"] = round((right_type["organization"] + right_type["media"]) / org_media, 3)
        print(f"  attributed recall, organization + media speakers: {figs['recall_org_media']:.2f}")
    figs.update(_answers_figures(sc, answering))
    if held_out:
        print("  (held-out: errors by cue, speaker type and extras are not printed)")
        return figs
    _print_confusion(confusion)
    by_cue = Counter((q["kind"], q.get("cue") or "(none)") for _, q in missed)
    print(
        f"  missed required: {len(missed)}  ({', '.join(f'{k} {v}' for k, v in Counter(q['kind'] for _, q in missed).items())})"
    )
    print("    by cue: " + ", ".join(f"{k}:{c} {v}" for (k, c), v in by_cue.most_common(25)))
    print(f"  wrong speaker: {len(wrong)}")
    kinds = Counter(f"{q.get('speaker_type', '?')}" for _, q, _ in wrong)
    print("    by gold speaker type: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    print(
        f"  extras: {len(extras)}  by cue: "
        + ", ".join(
            f"{c} {v}" for c, v in Counter(p.get("cue") or "(none)" for _, p in extras).most_common(15)
        )
    )
    if not verbose:
        return figs
    print("  -- missed")
    for f, q in missed:
        print(
            f"    {f}  {q['kind']:8} {q.get('cue') or '-':8} {q['speaker']} ⟨{q.get('speaker_surface', '')}⟩ | {_short(q['text'])}"
        )
    print("  -- wrong speaker (gold ← predicted)")
    for f, q, p in wrong:
        print(
            f"    {f}  {p.get('cue') or '-':8} gold {q['speaker']} ⟨{q.get('speaker_surface', '')}⟩ ← "
            f"{_speaker_str(p.get('speaker'))} | {_short(q['text'], 50)}"
        )
    print("  -- stance (gold ← predicted)")
    for f, q, p in off_stance:
        print(
            f"    {f}  {p.get('cue') or '-':8} {q.get('stance')} ← {p.get('stance')} | {_short(q['text'], 60)}"
        )
    print("  -- what matched denials and rejections answer (gold ← predicted)")
    for f, q, p in answering:
        gold_ans = q.get("answers", "(unlabelled)") or "∅"
        print(
            f"    {f}  {p.get('cue') or '-':8} {gold_ans} ← {p.get('answers') or '∅'} | {_short(q['text'], 50)}"
        )
    print("  -- extras")
    for f, p in extras:
        print(
            f"    {f}  {p.get('kind', ''):8} {p.get('cue') or '-':8} {_speaker_str(p.get('speaker'))} | {_short(p.get('text', ''))}"
        )
    return figs


_ANSWERING = ("denial", "rejection")


def _print_confusion(confusion: Counter[tuple[str, str]]) -> None:
    """Stance of the matched required quotes, gold (rows) against predicted (columns), and the precision
    of each predicted stance (a stance set wrongly hurts too)."""
    names = sorted({g for g, _ in confusion} | {p for _, p in confusion}, key=lambda n: (n != "statement", n))
    short = {n: n[:5] for n in names}
    print("  stance confusion (rows gold, columns predicted):")
    print("    " + " " * 13 + " ".join(f"{short[n]:>5}" for n in names))
    for g in names:
        print(f"    {g:13}" + " ".join(f"{confusion[(g, p)] or '.':>5}" for p in names))
    prec = []
    for p in names:
        col = sum(confusion[(g, p)] for g in names)
        if col:
            prec.append(f"{p} {confusion[(p, p)]}/{col}")
    print("    precision by predicted stance: " + ", ".join(prec))


def _answers_figures(
    sc: ModuleType, answering: list[tuple[str, dict[str, Any], dict[str, Any]]]
) -> dict[str, float]:
    """What matched gold denials and rejections answer (``Quote.answers``): accuracy on those whose gold
    names it (``answers``, with ``answers_surface``), and on those whose text names no report (an empty
    ``answers``: right only when nothing is predicted); and how many have a predicted answer at all."""
    labelled = [(q, p) for _, q, p in answering if "answers" in q]
    named = [(q, p) for q, p in labelled if q["answers"]]
    right_named = 0
    for q, p in named:
        surf = [q["answers_surface"]] if q.get("answers_surface") else [q["answers"]]
        right_named += bool(sc.name_match(_answer(p.get("answers")), q["answers"], surf))
    unnamed = len(labelled) - len(named)
    right_none = sum(not p.get("answers") for q, p in labelled if not q["answers"])
    given = sum(bool(p.get("answers")) for _, _, p in answering)
    right = right_named + right_none
    acc = f"{right}/{len(labelled)} {right / len(labelled):.2f}" if labelled else "n/a (none labelled)"
    print(f"  answers of matched denials/rejections: right {acc}; predicted on {given}/{len(answering)}")
    if labelled:
        print(
            f"    naming what they answer: right {right_named}/{len(named)}"
            + (f" {right_named / len(named):.2f}" if named else "")
            + f"; naming nothing: nothing predicted on {right_none}/{unnamed}"
        )
    figs: dict[str, float] = {}
    if labelled:
        figs["answers_accuracy"] = round(right / len(labelled), 3)
    if named:
        figs["answers_named_accuracy"] = round(right_named / len(named), 3)
    return figs


@cache
def _english_names() -> dict[str, str]:
    """Arabic canonical name -> English name of the knowledge base's entities: ``Quote.answers`` is the
    canonical Arabic name of a known source ("بلومبرغ" where the text has "بلومبرج"), so it is matched
    like a speaker, by its English name too."""
    from marsad.pipeline import build_analyzer

    return {e.name_ar: e.name_en for e in build_analyzer().kb.entities() if e.name_ar and e.name_en}


def _answer(name: Any) -> dict[str, str] | None:
    if not name:
        return None
    en = _english_names().get(str(name))
    return {"name": str(name), **({"name_en": en} if en else {})}


def _required(gold: dict[Any, dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for g in gold.values():
        yield [q for q in g.get("quotes") or [] if q.get("required", True)]


def dev_matches(
    work: Path,
) -> Iterator[tuple[tuple[str, int], dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(file key, gold article, exported article, gold quote, matched predicted quote) for every gold
    quote of the dev set that an exported quote overlaps by half or more (the scorer's matching), from
    the --keep folder of ``--only dev``; used by the error dumps in bench/."""
    sc = _score_module()
    gold = sc.load_gold(str(work / "qdev" / "gold.json"))
    pred: dict[tuple[str, int], dict[str, Any]] = {}
    for line in (work / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            pred[(Path(str(r.get("source_file", ""))).name, int(r.get("part", 0)))] = r
    for key, g in sorted(gold.items()):
        art = pred.get(key, {})
        pq = list(art.get("quotes") or [])
        used: set[int] = set()
        for qq in g.get("quotes") or []:
            best, bi = 0.0, None
            for i, p in enumerate(pq):
                if i not in used and (o := sc.overlap(p.get("text", ""), qq["text"])) > best:
                    best, bi = o, i
            if best < 0.5 or bi is None:
                continue
            used.add(bi)
            yield key, g, art, qq, pq[bi]


def _seeds_gold(work: Path) -> Path:
    """The seed gold with the ``answers`` labels of ``seeds_answers.json`` merged in (matched by file,
    article and the first three words of the quote text); fails on a label that fits no gold quote."""
    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
    labels = json.loads(SEEDS_ANSWERS.read_text(encoding="utf-8"))["quotes"]
    docs = {d["file"]: d for d in gold["documents"]}
    for lab in labels:
        quotes = docs[lab["file"]]["articles"][lab["article"]].get("quotes") or []
        hits = [q for q in quotes if " ".join(q["text"].split()[:3]) == lab["check"]]
        if len(hits) != 1:
            raise SystemExit(
                f"{SEEDS_ANSWERS.name}: {lab['file']} {lab['check']!r} fits {len(hits)} gold quotes"
            )
        hits[0]["answers"], hits[0]["answers_surface"] = lab["answers"], lab["answers_surface"]
    out = work / "seeds_gold.json"
    out.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return out


def speed(n: int) -> None:
    from marsad.model import RawDocument, SourceRef
    from marsad.parse import parse_document
    from marsad.pipeline import build_analyzer
    from marsad.quotes import extract_quotes

    files = sorted((NEWS / "ant-multisource").rglob("*.txt"))
    step = max(1, len(files) // n)
    analyzer = build_analyzer()
    work = []
    for p in files[::step][:n]:
        try:
            arts = parse_document(RawDocument(source=SourceRef(origin=str(p)), data=p.read_bytes())).articles
        except Exception:  # a benchmark skips what it cannot parse
            continue
        for a in arts:
            day = a.published.date() if a.published else None
            m = analyzer.finder.find(a.body, on=day)
            tm = analyzer.finder.find(a.title, on=day) if a.title else []
            work.append((a, day, m, tm))
    ents = analyzer.kb.get
    t0, c0 = time.perf_counter(), time.process_time()
    quotes = 0
    for a, day, m, tm in work:
        quotes += len(
            extract_quotes(a.body, m, title=a.title, title_mentions=tm, published=day, entities=ents)
        )
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"speed: extract_quotes on {len(work)} ANT articles in {dt:.2f} s wall → {len(work) / dt:.0f} articles/s; "
        f"{dc:.2f} s CPU → {len(work) / dc:.0f} articles/s ({quotes} quotes)"
    )


def side_by_side(report: dict[str, dict[str, Any]]) -> None:
    """Clean and degraded figures of each set, one line per figure."""
    for name in ("dev", "heldout"):
        clean, deg = report.get(name), report.get(f"{name}_degraded")
        if not clean or not deg:
            continue
        print(f"{name}: clean → degraded")
        rows: list[tuple[str, Any, Any]] = [
            ("attributed P/R/F1", clean.get("quotes_attributed_P_R_F1"), deg.get("quotes_attributed_P_R_F1")),
            ("span P/R", clean.get("quotes_span_P_R"), deg.get("quotes_span_P_R")),
            ("persons P/R/F1", clean.get("persons_P_R_F1"), deg.get("persons_P_R_F1")),
        ]
        keys = sorted(k for k in clean if k.startswith("recall_") or k.startswith("answers_"))
        rows += [(k, clean.get(k), deg.get(k)) for k in keys]
        for label, a, b in rows:
            print(f"  {label:28} {_fig(a):>22}  →  {_fig(b)}")


def _fig(v: Any) -> str:
    if isinstance(v, list | tuple):
        return " ".join(f"{x:.3f}" for x in v)
    return "-" if v is None else f"{v:.3f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("seeds", "dev", "heldout"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every error")
    ap.add_argument("--speed", nargs="?", type=int, const=3000, default=None, metavar="N")
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temporary one)")
    ap.add_argument("--degrade", action="store_true", help="also score degraded copies of dev and held-out")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures of each set to this file")
    args = ap.parse_args()
    report: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.only in (None, "seeds"):
            print("seeds")
            seeds_gold = _seeds_gold(work)
            out, figs = _pipeline(SEEDS, seeds_gold, work, "seeds")
            report["seeds"] = figs | breakdown(seeds_gold, out, args.verbose)
        for name, path in (("dev", DEVSET), ("heldout", HELDOUT)):
            if args.only not in (None, name):
                continue
            print(f"{name} ({path.name})")
            dev = work / f"q{name}"
            subprocess.run([sys.executable, str(REPO / "bench" / "devsets" / "materialize.py"), str(path),
                            "--out", str(dev)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            out, figs = _pipeline(dev / "docs", dev / "gold.json", work, name)
            report[name] = figs | breakdown(
                dev / "gold.json", out, args.verbose and name != "heldout", held_out=name == "heldout"
            )
            if not args.degrade:
                continue
            print(f"{name}_degraded ({path.name}, degraded pages)")
            deg = work / f"q{name}_degraded"
            subprocess.run([sys.executable, str(REPO / "bench" / "devsets" / "degrade_quotes.py"), str(path),
                            "--out", str(deg)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            out, figs = _pipeline(deg / "docs", deg / "gold.json", work, f"{name}_degraded")
            report[f"{name}_degraded"] = figs | breakdown(
                deg / "gold.json", out, args.verbose and name != "heldout", held_out=name == "heldout"
            )
        if args.degrade:
            side_by_side(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if args.speed:
        speed(args.speed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
