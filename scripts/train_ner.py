"""Train the CRF named-entity tagger on ANERcorp and ship it in ``src/marsad/data/ner``.

    .venv/bin/python scripts/train_ner.py                 # held-out scores, then retrain on all and save
    .venv/bin/python scripts/train_ner.py --eval-only     # held-out scores only, nothing written
    .venv/bin/python scripts/train_ner.py --no-gazetteer  # without the name-list feature

The corpus has no sentence breaks: sentences end at ``.`` ``!`` ``?`` ``؟`` tokens. The held-out part is
the last ``--holdout`` fraction of sentences, contiguous, so that no sentence of a held-out article has
a neighbour in training. Scores are entity-level (exact span and type, seqeval-style). The shipped model
is retrained on all sentences with the same settings.

Corpus tokens are re-tokenized with the tagger's own tokenizer (``ner_tokens``) so that training sees
exactly what inference sees ("بوش،" becomes بوش + ،).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without `pip install -e .`

from marsad.entities import load_kb  # noqa: E402
from marsad.entities.ner import (  # noqa: E402
    CLUSTERS_NAME,
    COMMON_NAME,
    GAZETTEER_NAME,
    MODEL_NAME,
    NAMES_NAME,
    ORG_CUES,
    PLACE_CUES,
    SENTENCE_END,
    SPEECH,
    TITLES,
    FeatureExtractor,
    NerTagger,
    common_words,
    load_clusters,
    load_gazetteer,
    load_names,
    ner_tokens,
    propagate_labels,
    span_scores,
)
from marsad.model import EntityKind  # noqa: E402
from marsad.normalize.arabic import normalize_text  # noqa: E402
from marsad.normalize.tokens import ARABIC_STOPWORDS, strip_clitics  # noqa: E402

DEFAULT_CORPUS = "../shared/data/ner/anercorp-train.txt"
DEFAULT_CITIES = "../shared/data/gazetteers/world-cities-ar/Data/world-cities.csv"
DEFAULT_COUNTRIES = "../shared/data/gazetteers/country-codes/data/country-codes.csv"
DEFAULT_NAMES = "../shared/data/gazetteers/wikidata-names-arabic/data/wd_arabic.normalized.aligned.tokens"
OUT_DIR = ROOT / "src" / "marsad" / "data" / "ner"

Sentence = tuple[list[str], list[str]]  # normalized tokens, BIO labels


def read_corpus(path: Path) -> list[Sentence]:
    """ANERcorp ``token TAG`` lines → sentences of (normalized tokens, labels with PERS renamed PER)."""
    sents: list[Sentence] = []
    words: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:  # a handful of lines have an empty token
                continue
            tag = parts[-1].replace("PERS", "PER")
            subs = [t[0] for t in ner_tokens(" ".join(parts[:-1]))]
            if not subs:
                continue
            typ = tag[2:]
            alnum = [k for k, w in enumerate(subs) if w[0].isalnum()]
            first, last = (alnum[0], alnum[-1]) if alnum else (-1, -1)
            for k, w in enumerate(subs):
                if tag == "O" or not first <= k <= last:
                    labels.append("O")  # punctuation glued to the edge of a name is not part of it
                else:
                    labels.append(tag if k == first else "I-" + typ)
                words.append(w)
            if len(subs) == 1 and subs[0] in SENTENCE_END:
                sents.append((words, labels))
                words, labels = [], []
    if words:
        sents.append((words, labels))
    return sents


def build_names(path: Path) -> list[str]:
    """Normalized Arabic given/family name tokens from the Wikidata list (CC0).

    Kept: three letters or more, Arabic letters only, not a stopword; two-letter tokens are mostly
    alignment noise and would fire on particles.
    """
    names: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2:
                continue
            word = normalize_text(cols[1].replace(" ", ""))
            if (
                len(word) >= 3
                and all("\u0621" <= c <= "\u064a" for c in word)
                and word not in ARABIC_STOPWORDS
            ):
                names.add(word)
    return sorted(names)


def build_gazetteer(cities: Path | None, countries: Path | None) -> dict[str, str]:
    """Words of place and organisation names → kinds (see ``load_gazetteer``).

    Places: the knowledge base's places (cities, countries, capitals), the Arabic city and country names
    of world-cities-ar (CC BY 4.0) and the Arabic country names of country-codes (ODC-PDDL). Organisations:
    the knowledge base's organisations, groups and media. Stopwords and the cue words (already features)
    are left out.
    """
    place_names: list[str] = []
    org_names: list[str] = []
    for ent in load_kb().entities():
        names = [ent.name_ar, *ent.aliases]
        if ent.kind is EntityKind.PLACE:
            place_names += names
        elif ent.kind in (EntityKind.ORGANIZATION, EntityKind.GROUP, EntityKind.MEDIA):
            org_names += names
    if cities is not None:
        with cities.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                place_names += [row["CountryNameAr"], row["CityNameAr"]]
    if countries is not None:
        with countries.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                place_names += [row.get("official_name_ar") or "", row.get("UNTERM Arabic Formal") or ""]
    skip = ARABIC_STOPWORDS | TITLES | SPEECH | PLACE_CUES | ORG_CUES
    kinds: dict[str, set[str]] = {}
    for names, part, whole in ((place_names, "L", "l"), (org_names, "O", "o")):
        for name in names:
            words = [t[0] for t in ner_tokens(name) if t[0][0].isalpha()]
            for w in words:
                for form in {w, strip_clitics(w)}:
                    if len(form) < 2 or not form.isalpha() or form in skip:
                        continue
                    kinds.setdefault(form, set()).add(part)
                    if len(words) == 1:
                        kinds[form].add(whole)
    return {w: "".join(sorted(k)) for w, k in sorted(kinds.items())}


def train(
    sents: Sequence[Sentence], extractor: FeatureExtractor, model: Path, args: argparse.Namespace
) -> float:
    t0 = time.process_time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, labels in sents:
        trainer.append(extractor.features(words), labels)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.max_iter,
            "feature.minfreq": args.min_freq,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(model))
    return time.process_time() - t0  # CPU seconds: the machine may be shared


def evaluate(
    sents: Sequence[Sentence], tagger: NerTagger, propagate: bool = True
) -> dict[str, tuple[float, float, float, int]]:
    """Entity scores; with ``propagate`` the sentences, contiguous, are read as one text (``tag()``: labels
    made consistent within ``PROPAGATION_WINDOW`` sentences; the corpus has no article breaks)."""
    gold = [labels for _, labels in sents]
    pred = [tagger.tag_labels(words) for words, _ in sents]
    if propagate:
        pred = propagate_labels([words for words, _ in sents], pred, tagger.common)
    return span_scores(gold, pred)


def print_scores(scores: dict[str, tuple[float, float, float, int]]) -> None:
    print(f"{'type':<5} {'prec':>6} {'rec':>6} {'F1':>6} {'gold':>6}")
    for typ in ("PER", "LOC", "ORG", "MISC", "ALL"):
        if typ in scores:
            p, r, f, n = scores[typ]
            print(f"{typ:<5} {p:6.3f} {r:6.3f} {f:6.3f} {n:6d}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="token TAG file (relative to the repo root)")
    ap.add_argument("--names", default=DEFAULT_NAMES, help="Wikidata name-token TSV (repo-root relative)")
    ap.add_argument("--no-gazetteer", action="store_true", help="train without the name-list feature")
    ap.add_argument(
        "--clusters",
        default=str((OUT_DIR / CLUSTERS_NAME).relative_to(ROOT)),
        help="word clusters from scripts/build_ner_clusters.py (repo-root relative)",
    )
    ap.add_argument("--no-clusters", action="store_true", help="train without the word-cluster features")
    ap.add_argument("--no-places", action="store_true", help="train without the place/organisation words")
    ap.add_argument("--cities", default=DEFAULT_CITIES, help="world-cities-ar CSV (repo-root relative)")
    ap.add_argument("--countries", default=DEFAULT_COUNTRIES, help="country-codes CSV (repo-root relative)")
    ap.add_argument("--holdout", type=float, default=0.15, help="fraction of final sentences held out")
    ap.add_argument("--c1", type=float, default=0.1, help="L1 penalty (prunes features, keeps model small)")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    ap.add_argument("--max-iter", type=int, default=200)
    ap.add_argument("--min-freq", type=float, default=1, help="drop features seen fewer times")
    ap.add_argument("--eval-only", action="store_true", help="score on the held-out part, write nothing")
    ap.add_argument("--dev", action="store_true", help="with --eval-only: score on a dev slice before it")
    ap.add_argument("--out-dir", default=str(OUT_DIR), help="where the model and name list are written")
    args = ap.parse_args(argv)

    corpus = ROOT / args.corpus
    if not corpus.is_file():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    sents = read_corpus(corpus)
    n_test = int(len(sents) * args.holdout)
    if args.dev:
        # tune on the tail of the training part; the real held-out sentences stay unseen
        sents = sents[: len(sents) - n_test]
        n_test = int(len(sents) * args.holdout)
    train_part, test_part = sents[: len(sents) - n_test], sents[len(sents) - n_test :]
    print(
        f"{len(sents)} sentences, {sum(len(w) for w, _ in sents)} tokens; held out the last {n_test} "
        f"({sum(len(w) for w, _ in test_part)} tokens)"
    )

    out_dir = Path(args.out_dir)
    names: list[str] = []
    if not args.no_gazetteer:
        names_src = ROOT / args.names
        if not names_src.is_file():
            print(f"name list not found: {names_src} (use --no-gazetteer)", file=sys.stderr)
            return 2
        names = build_names(names_src)
    name_set = frozenset(names)
    clusters = None
    clusters_src = ROOT / args.clusters
    if not args.no_clusters:
        if not clusters_src.is_file():
            print(
                f"clusters not found: {clusters_src} (run build_ner_clusters.py or --no-clusters)",
                file=sys.stderr,
            )
            return 2
        clusters = load_clusters(clusters_src)
    gazetteer: dict[str, str] = {}
    if not args.no_places:
        srcs = [ROOT / args.cities, ROOT / args.countries]
        for src in srcs:
            if not src.is_file():
                print(f"gazetteer not found: {src} (use --no-places)", file=sys.stderr)
                return 2
        gazetteer = build_gazetteer(*srcs)

    with tempfile.TemporaryDirectory() as tmp:  # private path: parallel runs must not share a model
        tmp_model = Path(tmp) / MODEL_NAME
        secs = train(
            train_part, FeatureExtractor(name_set, clusters=clusters, gazetteer=gazetteer), tmp_model, args
        )
        tagger = NerTagger(tmp_model, name_set, clusters, gazetteer, common_words(train_part))
        print(f"trained on {len(train_part)} sentences in {secs:.1f}s CPU; held-out entity-level scores")
        print("sentence by sentence (tag_labels, tag_persons):")
        print_scores(evaluate(test_part, tagger, propagate=False))
        print("as one text, labels propagated across nearby sentences (tag):")
        print_scores(evaluate(test_part, tagger))
    if args.eval_only or args.dev:
        return 0

    out_dir.mkdir(parents=True, exist_ok=True)
    model = out_dir / MODEL_NAME
    names_file = out_dir / NAMES_NAME
    secs = train(sents, FeatureExtractor(name_set, clusters=clusters, gazetteer=gazetteer), model, args)
    if names:
        header = "# Normalized given/family name tokens from Wikidata (CC0 1.0); see README.md\n"
        names_file.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
        assert load_names(names_file) == name_set
    else:
        names_file.unlink(missing_ok=True)  # a stale list would switch on a feature the model never saw
    clusters_file = out_dir / CLUSTERS_NAME
    if clusters is not None:
        if not clusters_file.exists() or not clusters_file.samefile(clusters_src):
            shutil.copyfile(clusters_src, clusters_file)  # the tagger looks for it next to the model
    else:
        clusters_file.unlink(missing_ok=True)
    common_file = out_dir / COMMON_NAME
    common = common_words(sents)
    header = "# Words mostly outside names in the corpus (not copied as names alone); see README.md\n"
    common_file.write_text(header + "\n".join(sorted(common)) + "\n", encoding="utf-8")
    assert load_names(common_file) == common
    gaz_file = out_dir / GAZETTEER_NAME
    if gazetteer:
        header = "# Words of place / organisation names (KB, world-cities-ar CC BY 4.0, country-codes PDDL)\n"
        gaz_file.write_text(header + "".join(f"{w}\t{k}\n" for w, k in gazetteer.items()), encoding="utf-8")
        assert load_gazetteer(gaz_file) == gazetteer
    else:
        gaz_file.unlink(missing_ok=True)
    print(
        f"retrained on all {len(sents)} sentences in {secs:.1f}s CPU -> {model} ({model.stat().st_size:,} B)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
