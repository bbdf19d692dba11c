"""CRF NER tagger: span scoring, tokenization/offsets, shipped model behaviour, training script."""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.entities.matcher import SpanIndex
from marsad.entities.ner import (
    CLUSTERS_NAME,
    COMMON_NAME,
    GAZETTEER_NAME,
    FeatureExtractor,
    ModelNotFoundError,
    NerTagger,
    bio_spans,
    common_words,
    default_model_path,
    load_clusters,
    load_gazetteer,
    ner_tokens,
    person_cluster_words,
    propagate_labels,
    span_scores,
    split_sentences,
)
from marsad.normalize.arabic import normalize_text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    return NerTagger.load()  # the packaged model is part of the product: missing = failure, not skip


def _surfaces(tagger: NerTagger, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], lab) for s, e, lab in tagger.tag(text)]


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_ner", ROOT / "scripts" / "train_ner.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["train_ner"] = mod
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------------------------- scoring
def test_bio_spans_conlleval_rules() -> None:
    labels = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "B-PER"]
    assert bio_spans(labels) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "LOC"), (6, 7, "ORG"), (7, 8, "PER")]
    assert bio_spans([]) == []
    assert bio_spans(["O", "O"]) == []


def test_span_scores_exact_boundaries_only() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "O", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "I-ORG", "O", "B-PER"]]
    s = span_scores(gold, pred)
    # PER: the truncated span is wrong and the extra one too -> 0 tp of 2 predicted, 1 gold
    assert s["PER"] == (0.0, 0.0, 0.0, 1)
    assert s["LOC"] == (1.0, 1.0, 1.0, 1)
    assert s["ORG"] == (1.0, 1.0, 1.0, 1)
    p, r, f, n = s["ALL"]
    assert (p, r, n) == (2 / 4, 2 / 3, 3)
    assert f == pytest.approx(2 * p * r / (p + r))


# -------------------------------------------------------------------------------------- tokens, offsets
def test_tokens_keep_harakat_inside_words_and_offsets_are_original() -> None:
    text = "قالَ مُحَمَّدٌ، «نعم»."
    toks = ner_tokens(text)
    assert [t[0] for t in toks] == ["قال", "محمد", ",", '"', "نعم", '"', "."]
    for norm, s, e in toks:
        assert normalize_text(text[s:e]) == norm


def test_sentences_split_on_final_marks_and_lines_not_decimals() -> None:
    text = "ارتفع السهم 6.3 في المئة. هل ارتفع؟ نعم\nعنوان جديد"
    sents = split_sentences(ner_tokens(text), text)
    assert [" ".join(t[0] for t in s) for s in sents] == [
        "ارتفع السهم 6 . 3 في الميه .",
        "هل ارتفع ?",
        "نعم",
        "عنوان جديد",
    ]


# ------------------------------------------------------------------------------------------ the tagger
def test_obvious_names(tagger: NerTagger) -> None:
    got = _surfaces(tagger, "وقال الرئيس الفرنسي إيمانويل ماكرون إن بلاده ستدعم أوكرانيا.")
    assert ("إيمانويل ماكرون", "PER") in got
    got = _surfaces(tagger, "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الأمريكي في موسكو.")
    assert ("سيرغي لافروف", "PER") in got
    assert ("موسكو", "LOC") in got


def test_spans_map_back_to_original_text_and_drop_clitics(tagger: NerTagger) -> None:
    text = "وأكد وَبوتين أن الوفد سيزور واشنطن، وقال مُحَمَّد بن سلمان إن وبغداد ترحب."
    spans = tagger.tag(text)
    surfaces = [text[s:e] for s, e, _ in spans]
    assert "بوتين" in surfaces  # وَ cut off together with its haraka
    assert "واشنطن" in surfaces  # و belongs to the name: kept
    assert any(s.startswith("مُحَمَّد") for s in surfaces)
    for s, e, lab in spans:
        assert lab in {"PER", "LOC", "ORG", "MISC"}
        assert 0 <= s < e <= len(text)
        assert text[s].isalnum() and (text[e - 1].isalnum() or _is_mark(text[e - 1]))
        # a span starts at a word start, or right after a cut clitic letter (or its haraka)
        assert s == 0 or not text[s - 1].isalnum() or text[s - 1] in "وفبلك" or _is_mark(text[s - 1])


def test_clitic_shift_rules(tagger: NerTagger) -> None:
    def shifted(word: str) -> str:
        tok = ner_tokens(word)[0]
        return word[tagger._clitic_shift(word, tok) :]

    assert shifted("والقاهرة") == "القاهرة"  # article follows: safe
    assert shifted("وبوتين") == "بوتين"  # rest is a known name
    assert shifted("وليد") == "وليد"  # the whole word is a name
    assert shifted("ومشريخستان") == "ومشريخستان"  # unknown: leave it


def test_tag_is_thread_safe(tagger: NerTagger) -> None:
    texts = [f"وقال الرئيس الفرنسي إيمانويل ماكرون في باريس {i} إن الاتحاد الأوروبي موحد." for i in range(40)]
    expected = [tagger.tag(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(tagger.tag, texts)) == expected


def test_person_clusters_widen_the_sentence_filter() -> None:
    names = frozenset({"جيسون", "سامر", "كريم"})
    ids = {w: ("1", "2", "9") for w in ("جيسون", "سامر", "كريم", "فادي", "غرينبلات")}
    ids |= {w: ("1", "2", "8") for w in ("الوفد", "البعثه", "اللجنه", "الفريق", "المجلس")}
    assert person_cluster_words(names, ids) == {"جيسون", "سامر", "كريم", "فادي", "غرينبلات"}
    tagger = NerTagger(default_model_path(), names, ids)

    def passes(text: str, known: list[tuple[int, int]] | None = None) -> bool:
        sent = split_sentences(ner_tokens(text), text)[0]
        return tagger._may_hold_unknown_name(sent, SpanIndex(known or []))

    assert passes("وقال جيسون غرينبلات إن الوفد وصل")  # a list name next to a word of a name cluster
    assert passes("قال السفير كريم إن الوفد وصل")  # a title, then a name word
    assert not passes("قال كريم إن الوفد وصل")  # a lone name word
    assert not passes("قال الوفد إن البعثة وصلت")
    text = "قال السفير كريم إن الوفد وصل"
    assert not passes(text, [(text.index("كريم"), text.index("كريم") + 4)])  # already known to the KB


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"train_ner\.py"):
        NerTagger.load(tmp_path / "nope.model")
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelNotFoundError, match="cannot open"):
        NerTagger.load(bad)


# ------------------------------------------------------------------------------------- training script
def test_read_corpus_retokenizes_and_splits(tmp_path: Path) -> None:
    mod = _load_script()
    corpus = tmp_path / "c.txt"
    corpus.write_text(
        "وقال O\nجورج B-PERS\nبوش، I-PERS\n O\nإن O\n6.3 O\n. O\nفي O\nبغداد B-LOC\n.\u200f O\n",
        encoding="utf-8",
    )
    sents = mod.read_corpus(corpus)
    assert sents == [
        (["وقال", "جورج", "بوش", ",", "ان", "6", ".", "3", "."], ["O", "B-PER", "I-PER"] + ["O"] * 6),
        (["في", "بغداد", "."], ["O", "B-LOC", "O"]),
    ]


def test_training_script_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = _load_script()
    lines = []
    for i in range(60):  # a toy corpus: enough for the CRF to learn "after قال comes a person"
        name = ["سامر", "كريم", "فادي", "نبيل"][i % 4]
        lines += [f"وقال O\n{name} B-PERS\nحداد I-PERS\nفي O\nعمان B-LOC\n. O\n"]
    corpus = tmp_path / "toy.txt"
    corpus.write_text("".join(lines), encoding="utf-8")
    clusters = tmp_path / "clusters.tsv.gz"
    _write_clusters(clusters, {"سامر": "1", "كريم": "1", "فادي": "1", "نبيل": "1", "وائل": "1", "عمان": "2"})
    out = tmp_path / "out"
    args = ["--corpus", str(corpus), "--no-gazetteer", "--no-places", "--clusters", str(clusters)]
    rc = mod.main([*args, "--max-iter", "30", "--out-dir", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert re.search(r"^PER\s+1\.000\s+1\.000\s+1\.000", printed, re.M), printed
    assert (out / CLUSTERS_NAME).read_bytes() == clusters.read_bytes()  # shipped next to the model
    assert not (out / GAZETTEER_NAME).exists()
    common = (out / COMMON_NAME).read_text(encoding="utf-8")
    assert "\nفي\n" in common and "حداد" not in common  # في is outside names, حداد always inside
    tagger = NerTagger.load(out / "anercorp-crf.model")
    assert tagger.extractor.clusters["وائل"] == ("1", "1", "1")
    assert ("نبيل حداد", "PER") in _surfaces(tagger, "وقال نبيل حداد في عمان.")
    # a first name never seen in training, only through its cluster
    assert any(f.startswith("c1024=") for f in tagger.extractor.features(["وائل"])[0])


def _write_clusters(path: Path, ids: dict[str, str]) -> None:
    body = "# toy clusters\n" + "".join(f"{w}\t{c}\t{c}\t{c}\n" for w, c in ids.items())
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(body)


def test_cluster_and_gazetteer_features_are_per_word_and_fall_back_to_the_bare_form(tmp_path: Path) -> None:
    clusters = tmp_path / "c.tsv.gz"
    _write_clusters(clusters, {"زيلينسكي": "7"})
    gaz = tmp_path / "g.tsv"
    gaz.write_text("# toy\nخاركيف\tLl\nبروم\tO\n", encoding="utf-8")
    ex = FeatureExtractor(clusters=load_clusters(clusters), gazetteer=load_gazetteer(gaz))
    feats = ex.features(["وزيلينسكي", "في", "خاركيف", "بروم"])
    assert {"c64=7", "c256=7", "c1024=7"} <= set(feats[0])  # وزيلينسكي → زيلينسكي
    assert "+1:c1024=7" not in feats[1] and "-1:c1024=7" in feats[1] and "-2:c64=7" in feats[2]
    assert {"gzL", "gzl"} <= set(feats[2]) and "gzO" in feats[3] and "+1:gzO" in feats[2]
    assert not any(f.startswith(("c64=", "gz")) for f in feats[1])
    # a model without these features is unaffected: unknown attributes are filtered out
    plain = FeatureExtractor(known=frozenset({"bias", "w=في"}), clusters=load_clusters(clusters))
    got = plain.features(["وزيلينسكي", "في"])
    assert {f for fs in got for f in fs} == {"bias", "BOS", "EOS", "w=في"}


def test_cached_features_are_shared_strings_and_equal_to_fresh_ones(tagger: NerTagger) -> None:
    ex = tagger.extractor
    ex.clear()
    words = [
        normalize_text(w)
        for w in ["قال", "المتحدث", "باسم", "الوزارة", "إن", "الوزارة", "سترد", "على", "المتحدث"]
    ]
    first = ex.features(words)
    again = ex.features(list(reversed(words)))  # every word type is now read from the cache
    fresh = FeatureExtractor(ex.names, ex.known, ex.clusters, ex.gazetteer)
    assert first == fresh.features(words) and again == fresh.features(list(reversed(words)))
    # one string object per attribute value across word types ("sh=ara" of every Arabic word)
    by_value: dict[str, set[int]] = {}
    for w in words:
        for view in ex._cache[w]:
            for f in view:
                by_value.setdefault(f, set()).add(id(f))
    assert by_value and all(len(ids) == 1 for ids in by_value.values())
    ex.clear()
    assert not ex._cache and ex.features(words) == first


def test_release_caches_empties_the_analysis_caches_and_changes_no_result() -> None:
    from marsad.entities import ner
    from marsad.pipeline import _ner, release_caches

    t = _ner()
    assert t is not None
    text = "وقال الوزير سامر الخطيب للصحفيين إن الاتفاق سيوقع في مدينة حلب الأسبوع المقبل."
    before = (t.tag(text), t.tag_persons(text))
    assert t.extractor._cache and t._word_kinds and ner._NORM_CACHE
    from marsad.quotes import default_lexicon

    default_lexicon().cue("وقال")
    release_caches()
    assert not t.extractor._cache and not t._word_kinds and not ner._NORM_CACHE
    assert not default_lexicon()._cue_of
    assert (t.tag(text), t.tag_persons(text)) == before


# ------------------------------------------------------------------------------- label propagation
def test_propagate_labels_copies_a_name_to_its_bare_mentions_nearby() -> None:
    sents = [
        ["وقالت", "شركة", "زيتكو", "للبرمجيات", "إن", "أرباحها", "زادت"],
        ["وأضافت", "وزيتكو", "أن", "المحكمة", "العليا", "رفضت"],
        ["وتعمل", "زيتكو", "لابس", "في", "دبي"],
        ["المحكمة", "العليا", "نظرت", "في", "قضية", "من"],
    ]
    sents = [[normalize_text(w) for w in sent] for sent in sents]  # as the tagger sees them
    labels = [
        ["O", "O", "B-ORG", "O", "O", "O", "O"],
        ["O"] * 6,
        ["O", "B-ORG", "I-ORG", "O", "B-LOC"],
        ["B-ORG", "I-ORG", "O", "O", "O", "B-LOC"],  # a head-word name and a stopword tagged once
    ]
    got = propagate_labels(sents, labels)
    # وزيتكو is compared without و; المحكمة العليا (a head word first) is not copied
    assert got[1] == ["O", "B-ORG", "O", "O", "O", "O"]
    assert got[2] == labels[2]  # a longer name already there is left alone
    assert got[3] == labels[3]
    assert got[0] == labels[0]  # زيتكو لابس does not occur in it
    assert labels[1] == ["O"] * 6  # the input is not changed
    # too far away: not copied
    far = [sents[0], *[["ثم", "جاء", "المطر"]] * 3, sents[1]]
    far_labels = [labels[0], *[["O"] * 3] * 3, ["O"] * 6]
    assert propagate_labels(far, far_labels, window=2)[-1] == ["O"] * 6
    assert propagate_labels(far, far_labels, window=4)[-1][1] == "B-ORG"
    # a name made only of common words is not copied
    assert propagate_labels(sents[:2], labels[:2], common=frozenset({"زيتكو"}))[1] == ["O"] * 6


def test_propagate_labels_takes_the_type_given_most_often() -> None:
    sents = [["زار", "لوران", "أمس"], ["وقال", "لوران", "إنه"], ["في", "لوران", "."], ["عاد", "لوران", "."]]
    labels = [["O", "B-PER", "O"], ["O", "B-PER", "O"], ["O", "B-LOC", "O"], ["O", "O", "O"]]
    assert propagate_labels(sents, labels)[3] == ["O", "B-PER", "O"]


def test_common_words_are_mostly_outside_names() -> None:
    sents = [
        (["قال", "سامر", "في", "عمان"], ["O", "B-PER", "O", "B-LOC"]),
        (["وقال", "في", "الأمل"], ["O", "O", "B-ORG"]),
        (["الأمل", "في", "قال"], ["O", "O", "O"]),
    ]
    got = common_words(sents)
    assert "في" in got and "قال" in got  # قال / وقال: counted without the clitic
    assert "سامر" not in got  # seen once
    assert "الأمل" not in got  # half inside a name: not "mostly outside"


def test_tag_propagates_but_tag_persons_does_not(tagger: NerTagger, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "قال سامي زيتوني إن الخطة جاهزة. وأضاف زيتوني أن التنفيذ قريب."
    scripted = {"سامي": "B-PER", "زيتوني": "I-PER"}

    def first_sentence_only(words: list[str]) -> list[str]:
        if words[0] == "قال":
            return [scripted.get(w, "O") for w in words]
        return ["O"] * len(words)

    monkeypatch.setattr(tagger, "tag_labels", first_sentence_only)
    monkeypatch.setattr(tagger, "common", frozenset())
    assert [text[s:e] for s, e, _ in tagger.tag(text)] == ["سامي زيتوني"]  # the key is the whole name
    text2 = "قال زيتوني إن الخطة جاهزة. وأضاف زيتوني أن التنفيذ قريب."
    scripted["زيتوني"] = "B-PER"
    assert [text2[s:e] for s, e, _ in tagger.tag(text2)] == ["زيتوني", "زيتوني"]
    monkeypatch.setattr(tagger, "_may_hold_unknown_name", lambda sent, known: True)
    assert [text2[s:e] for s, e, _ in tagger.tag_persons(text2)] == ["زيتوني"]


# --------------------------------------------------------------------------------------- shared data
@pytest.mark.data
def test_real_articles_offsets_roundtrip(tagger: NerTagger) -> None:
    root = SHARED / "news" / "ant-multisource"
    if not root.is_dir():
        pytest.skip(f"shared data absent: {root}")
    files = sorted(root.rglob("*.txt"))[::500][:20]
    n = 0
    for f in files:
        m = re.search(r"<TEXT>(.*?)</TEXT>", f.read_text(encoding="utf-8"), re.S)
        if not m:
            continue
        text = m.group(1)
        for s, e, _ in tagger.tag(text):
            n += 1
            surface = text[s:e]
            assert surface.strip() == surface
            assert surface[0].isalnum() and (surface[-1].isalnum() or _is_mark(surface[-1]))
    assert n > 50


@given(st.text(alphabet=st.sampled_from(list("بوتينـ\u064e\u0651\u200f_12a ,.\n«")), max_size=40))
def test_ner_tokens_are_those_of_the_token_pattern_with_or_without_underscores(s: str) -> None:
    from marsad.entities import ner

    want = [(normalize_text(m.group()), *m.span()) for m in ner._TOKEN.finditer(s)]
    assert ner_tokens(s) == [t for t in want if t[0]]
