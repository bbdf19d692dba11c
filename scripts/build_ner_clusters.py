"""Build the word clusters used as NER features (``src/marsad/data/ner/news-clusters.tsv.gz``).

    .venv/bin/python scripts/build_ner_clusters.py            # reads ../shared/data/news/ant-multisource

Distributional clusters in the spirit of Brown clusters, trained here on Arabic news text: every frequent
word gets a vector of its left and right neighbours (positive PMI over the most frequent tokens),
reduced by a truncated SVD, then grouped by k-means at three granularities. A word that the CRF never
saw in ANERcorp still gets the weights of its cluster (an unseen company name falls with the other
company names), which is what the tagger lacks most on out-of-domain text.

The tokens are the tagger's own (``ner_tokens``: normalized, punctuation kept), so the keys match what
the tagger looks up. Deterministic (fixed seeds); takes a few minutes on one core.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import time
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from marsad.entities.ner import CLUSTER_SIZES, CLUSTERS_NAME, ner_tokens  # noqa: E402

DEFAULT_NEWS = "../shared/data/news/ant-multisource"
OUT = ROOT / "src" / "marsad" / "data" / "ner" / CLUSTERS_NAME
_FIELD = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.S)


def iter_texts(root: Path) -> Iterator[str]:
    """Title and body of every ANT article (TREC-like files, read leniently with a regex)."""
    for path in sorted(root.rglob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        for m in _FIELD.finditer(raw):
            yield from m.group(2).split("\n")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", default=DEFAULT_NEWS, help="ANT corpus folder (relative to the repo root)")
    ap.add_argument("--vocab", type=int, default=50_000, help="words clustered (most frequent first)")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--contexts", type=int, default=4_000, help="neighbour tokens used as context")
    ap.add_argument("--dims", type=int, default=100)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)

    news = ROOT / args.news
    if not news.is_dir():
        print(f"news corpus not found: {news}", file=sys.stderr)
        return 2
    t0 = time.process_time()
    vocab: dict[str, int] = {}
    stream = array("i")  # every token as a type id, -1 between lines
    for line in iter_texts(news):
        toks = ner_tokens(line)
        if not toks:
            continue
        for t in toks:
            stream.append(vocab.setdefault(t[0], len(vocab)))
        stream.append(-1)
    ids = np.frombuffer(stream, dtype=np.int32)
    types = list(vocab)
    counts = np.bincount(ids[ids >= 0], minlength=len(types))
    print(f"{int(counts.sum()):,} tokens, {len(types):,} types ({time.process_time() - t0:.0f}s CPU)")

    order = np.argsort(-counts, kind="stable")
    ranked = [int(i) for i in order if counts[i] >= args.min_count]
    words = [i for i in ranked if types[i][0].isalnum()][: args.vocab]  # clustered: word tokens only
    ctx = ranked[: args.contexts]  # contexts: punctuation included (quotes, commas are boundary cues)
    n_ctx = len(ctx) + 1  # last column: line boundary or rare token
    row_of = np.full(len(types) + 1, -1, dtype=np.int32)  # index -1 (line break) maps to the last cell
    row_of[words] = np.arange(len(words), dtype=np.int32)
    col_of = np.full(len(types) + 1, n_ctx - 1, dtype=np.int32)
    col_of[ctx] = np.arange(len(ctx), dtype=np.int32)
    rows_all = row_of[ids]
    cols_all = col_of[ids]
    breaks = ids < 0
    mat = sparse.csr_matrix((len(words), 4 * n_ctx), dtype=np.float32)
    for block, off in enumerate((-2, -1, 1, 2)):
        ctx_ids = np.roll(cols_all, -off)  # the token at i + off
        if off < 0:
            ctx_ids[:-off] = n_ctx - 1
        else:
            ctx_ids[-off:] = n_ctx - 1
        if abs(off) == 2:  # a line break between i and i +- 2 also cuts the context
            mid = np.roll(breaks, -off // 2)
            ctx_ids[mid] = n_ctx - 1
        sel = rows_all >= 0
        part = sparse.coo_matrix(
            (np.ones(int(sel.sum()), dtype=np.float32), (rows_all[sel], block * n_ctx + ctx_ids[sel])),
            shape=mat.shape,
        ).tocsr()
        mat = mat + part
    del rows_all, cols_all
    words_s = [types[i] for i in words]
    # positive PMI with context-distribution smoothing (alpha 0.75)
    total = mat.sum()
    row_sum = np.asarray(mat.sum(axis=1)).ravel()
    col_sum = np.asarray(mat.sum(axis=0)).ravel() ** 0.75
    col_p = col_sum / col_sum.sum()
    coo = mat.tocoo()
    pmi = np.log(coo.data / total) - np.log(row_sum[coo.row] / total) - np.log(col_p[coo.col])
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=mat.shape)
    vec = TruncatedSVD(n_components=args.dims, random_state=0, algorithm="randomized").fit_transform(ppmi)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    print(f"vectors {vec.shape} ({time.process_time() - t0:.0f}s CPU)")

    assign = []
    for k in CLUSTER_SIZES:
        km = MiniBatchKMeans(n_clusters=k, random_state=0, batch_size=4096, n_init=3, max_iter=200)
        assign.append(km.fit_predict(vec))
        print(f"k={k} done ({time.process_time() - t0:.0f}s CPU)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(
        f"{w}\t" + "\t".join(str(a[i]) for a in assign) + "\n"
        for i, w in sorted(enumerate(words_s), key=lambda x: x[1])
    )
    header = (
        "# word clusters (sizes " + " ".join(map(str, CLUSTER_SIZES)) + ") from the ANT news corpus; "
        "see README.md\n"
    )
    # mtime 0 keeps the file byte-identical across rebuilds
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write((header + body).encode("utf-8"))
    print(f"{len(words)} words -> {out} ({out.stat().st_size:,} B, {time.process_time() - t0:.0f}s CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
