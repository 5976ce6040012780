"""Train the zone segmentation model shipped in src/thresher/models/segment/.

Data recipe
-----------
Pages come from /work/shared/data/extraction (see its README): ``wcxb_dev``
(page_text, main_text, title; 7 page types), ``cleaneval`` (page_text,
main_text) and ``dragnet_comments`` (page_text, main_text, comments_text).

Line labels come from aligning the page's lines to the ground truth:

1. exact alignment: the page's lines and the gold lines (main lines, then
   comment lines, each tagged with where it came from), normalised (casefolded,
   whitespace collapsed), are aligned with ``difflib.SequenceMatcher``; matched
   page lines take the gold line's tag. The alignment is monotonic, so of a
   line that appears twice on the page (a heading in the table of contents and
   again above its section) the one in the gold's order is taken.
2. fuzzy alignment: each page line left over is compared with the gold lines
   between its neighbouring anchors: it is taken when its normalised text is a
   substring of that gold text, or when it has >= 4 words and >= 60 % of its
   word bigrams occur there (wrapped or re-joined paragraphs, gold lines with a
   link or two cut out).
3. title: on wcxb pages the first page line equal to the given title (or the
   title with a " | site" / " - site" suffix cut) before the first main line,
   else the first anywhere, is labelled ``title``; other copies are boilerplate.
4. comment_meta: the gold ``comments_text`` holds the comment author/date/vote
   lines too (checked on the data: "Elena July 14, 2012 at 9:52 pm"). A gold
   comment line is ``comment_meta`` when it is short (<= 12 words) and has a
   date/time, ends in "says:"/"wrote:", or is a bare vote count; or when it is a
   short name-like line (<= 4 words, no sentence punctuation) directly followed
   by such a line. The rest is ``comment`` text.
5. everything else is ``boilerplate``.

Cipher copies (``--cipher-share``, 1.0 for the shipped model): every training
page goes in twice, the second time with its letters substituted (a permutation
of a-z drawn per page, ``cipher_table``; digits, punctuation, case and layout
kept) and its page's labels. On the copies no English word list fires, so the
model learns to find the article and the comments from the layout as well: the
stand-in for the many languages its word lists don't know (the pages are 99 %
English). ``eval/segment.py --cipher SEED`` measures the same thing on the test
pages.

Split: by page, deterministically: ``xxhash64(id) % 10 < 7`` is train, the rest
held-out test (about 70/30 within every dataset and page type, since the hash
is independent of both). Bucket 6 of train is a dev slice: settings were
chosen with ``--exclude-dev`` models scored by ``eval/segment.py --split dev``;
the shipped model is trained on all of train. Test pages are read only by
eval/segment.py's final report. ``--train-share Q`` trains on a share of the
train pages (a hash of each id chooses them; a smaller share is a subset of a
larger one), for a learning curve: with ``--exclude-dev``, scored on the dev slice.

Model: a two-pass MLP (one hidden layer, ReLU) over the features of
thresher.segment.features. Pass 1 sees each line with its neighbours' features;
pass 2 adds pass-1 probabilities of the lines around it (out-of-fold
predictions in training, so pass 2 learns from realistic pass-1 errors).
Pass 3: a gradient-boosted forest (LightGBM, multiclass) over pass 2's inputs
(raw features and the out-of-fold pass-1 context), stored as plain arrays
(``forest_arrays``) and evaluated by thresher.segment.forest. It is the better
classifier, but costs several times the MLPs per line, so the step asks it
only about lines where pass 2's top probability is below ``--unsure-below``
(about three lines in ten); the threshold and the forest's size were chosen on
the dev slice.
Weights, trees, feature scaling and class names are written to model.npz +
model.json.

Headline ranker: a linear softmax over each WCXB page's headline candidates
(``fit_headline``), its weights in model.json: one set fit without the pages'
addresses (for input that has none) and one with them (``url_words``). Its clues read the line model's
probabilities out of fold (pass 2 refit per fold on the other folds' pages),
as they are on pages the model has not seen: pass 2 and the forest are refit
per fold on the other folds' pages.

Usage: .venv/bin/python train/segment.py [--data ../shared/data] [--out src/thresher/models/segment]
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import itertools
import json
import re
import string
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from thresher.segment import features as F  # noqa: E402
from thresher.segment.forest import MAX_DEPTH  # noqa: E402
from thresher.segment.headline import HEADLINE_NAMES  # noqa: E402
from thresher.segment.model import CLASSES, FORMAT, context_probs, softmax_  # noqa: E402

DATASETS = ("wcxb_dev", "cleaneval", "dragnet_comments")
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_DATEISH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}:\d\d|"
    r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b|"
    r"\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_SAYS = re.compile(r"(?:says|said|wrote|writes)\s*:?\s*$", re.IGNORECASE)
_VOTES = re.compile(r"^[+\-]?\d[\d,]*\s*(?:points?|votes?|likes?)?$", re.IGNORECASE)


def norm(line: str) -> str:
    return _WS.sub(" ", line).strip().casefold()


def load(data: Path) -> list[dict[str, Any]]:
    """Every page of the three data sets, with ``dataset`` and ``split`` added."""
    folder = data / "extraction"
    if not folder.is_dir():
        sys.exit(f"error: {folder} not found; pass --data PATH to the shared data folder")
    pages = []
    for name in DATASETS:
        with gzip.open(folder / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                rec["dataset"] = name
                rec["split"] = split_of(rec["id"])
                pages.append(rec)
    return pages


def log(*parts: object) -> None:
    print(*parts, flush=True)


def split_of(page_id: str) -> str:
    """``train`` (70 %; its slice ``dev``, 10 %, is held out while choosing
    settings) or ``test`` (30 %, read only by eval/segment.py's final report)."""
    bucket = xxhash.xxh64_intdigest(page_id.encode()) % 10
    return "test" if bucket >= 7 else "dev" if bucket == 6 else "train"


#: The page fields a cipher rewrites (the rest are ids and numbers; the
#: address too, whose words the headline ranker reads).
_TEXT_FIELDS = ("page_text", "main_text", "comments_text", "title", "url")


def cipher_table(seed: int) -> dict[int, int]:
    """A letter substitution (a fixed permutation of a-z, the same for A-Z)
    drawn from ``seed``: applied to a page and its gold, it turns English into
    a made-up language with the same layout, lengths, case, digits and
    punctuation, in which no English word list or phrase matches. It stands in
    for a language the step's word lists don't know."""
    perm = np.random.default_rng(seed).permutation(26)
    low, up = string.ascii_lowercase, string.ascii_uppercase
    table = {ord(low[i]): ord(low[j]) for i, j in enumerate(perm)}
    table.update({ord(up[i]): ord(up[j]) for i, j in enumerate(perm)})
    return table


def ciphered(page: dict[str, Any], table: dict[int, int]) -> dict[str, Any]:
    """A copy of ``page`` with its text and gold run through ``table``."""
    out = dict(page)
    for field in _TEXT_FIELDS:
        if isinstance(out.get(field), str):
            out[field] = out[field].translate(table)
    return out


def cipher_copies(pages: list[dict[str, Any]], share: float) -> list[dict[str, Any]]:
    """Letter-substituted copies of ``share`` of ``pages`` (chosen by a hash of
    the id), each with its own cipher, so that no one substitution's letters
    become a cue; a copy's ``copy_of`` names its page."""
    out = []
    for p in pages:
        h = xxhash.xxh32_intdigest(("cipher:" + p["id"]).encode())
        if h % 1000 < share * 1000:
            c = ciphered(p, cipher_table(h))
            c["id"], c["copy_of"], c["original"] = p["id"] + "~cipher", p["id"], p
            out.append(c)
    return out


def is_meta_line(line: str) -> bool:
    words = len(line.split())
    if words <= 12 and _DATEISH.search(line):
        return True
    if words <= 8 and _SAYS.search(line):
        return True
    return bool(_VOTES.match(line.strip()))


def _bare_date(line: str) -> bool:
    """A meta line with no name before its date: the author sits on the line above."""
    m = _DATEISH.search(line)
    return m is not None and len(_WORD.findall(line[: m.start()])) == 0


def gold_lines(page: dict[str, Any]) -> list[tuple[str, str]]:
    """(line, tag) of the ground truth in page order: main lines then comment lines."""
    out = [(line, "main") for line in page["main_text"].split("\n") if line.strip()]
    comments = [c for c in (page.get("comments_text") or "").split("\n") if c.strip()]
    for i, line in enumerate(comments):
        tag = "comment"
        if is_meta_line(line) or (
            len(line.split()) <= 4
            and not re.search(r"[.!?]$", line.strip())
            and i + 1 < len(comments)
            and is_meta_line(comments[i + 1])
            and _bare_date(comments[i + 1])
        ):
            tag = "comment_meta"
        out.append((line, tag))
    return out


def _bigrams(text: str) -> set[tuple[str, str]]:
    toks = _WORD.findall(text)
    return set(itertools.pairwise(toks))


def label_page(page: dict[str, Any], lines: list[str]) -> list[str]:
    """One label per page line (see the module docstring)."""
    gold = gold_lines(page)
    pn = [norm(x) for x in lines]
    gn = [norm(g) for g, _ in gold]
    labels = ["boilerplate"] * len(lines)
    matched_gold = [-1] * len(lines)
    sm = difflib.SequenceMatcher(None, pn, gn, autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            labels[a + k] = gold[b + k][1]
            matched_gold[a + k] = b + k
    # Fuzzy pass between anchors.
    anchors = [(i, j) for i, j in enumerate(matched_gold) if j >= 0]
    prev_g = [-1] * len(lines)
    next_g = [len(gold)] * len(lines)
    last = -1
    for i in range(len(lines)):
        if matched_gold[i] >= 0:
            last = matched_gold[i]
        prev_g[i] = last
    last = len(gold)
    for i in range(len(lines) - 1, -1, -1):
        if matched_gold[i] >= 0:
            last = matched_gold[i]
        next_g[i] = last
    cache: dict[tuple[int, int], tuple[str, set[tuple[str, str]], list[str]]] = {}
    for i, line in enumerate(pn):
        if matched_gold[i] >= 0 or not line:
            continue
        lo, hi = prev_g[i] + 1, next_g[i]
        if hi <= lo:
            continue
        key = (lo, hi)
        if key not in cache:
            text = "\n".join(gn[lo:hi])
            cache[key] = (text, _bigrams(text), [gold[j][1] for j in range(lo, hi)])
        text, bigr, tags = cache[key]
        hit = False
        if len(line) >= 2 and line in text:
            hit = True
        else:
            lb = _bigrams(line)
            if len(line.split()) >= 4 and lb and len(lb & bigr) / len(lb) >= 0.6:
                hit = True
        if hit:
            # Tag of the gold line holding most of it (main vs comment side).
            pos = text.find(line[: max(8, len(line) // 2)])
            if pos >= 0:
                labels[i] = tags[text.count("\n", 0, pos)]
            else:
                # (The most common tag; a tie goes to the first, whatever the hash seed.)
                labels[i] = Counter(tags).most_common(1)[0][0]
            if labels[i] == "comment_meta" and len(line.split()) > 12:
                labels[i] = "comment"
    del anchors
    # Title (wcxb gives it).
    title = page.get("title")
    if title:
        cands = {norm(title)}
        for sep in (" | ", " - ", " – ", " — ", " :: ", " » "):
            if sep in title:
                cands.add(norm(title.split(sep)[0]))
                cands.add(norm(title.rsplit(sep, 1)[0]))
        hits = [i for i, x in enumerate(pn) if x in cands]
        if hits:
            first_main = next((i for i, lab in enumerate(labels) if lab == "main"), len(lines))
            before = [i for i in hits if i <= first_main]
            pick = before[-1] if before else hits[0]
            labels[pick] = "title"
            for i in hits:
                if i != pick and labels[i] != "main":
                    labels[i] = "boilerplate"
    return labels


def page_matrix(page: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    lines = F.split_lines(page["page_text"])
    # A cipher copy takes its page's labels (the author-line patterns are
    # English); the substitution keeps every line where it was.
    orig = page.get("original", page)
    labels = label_page(orig, F.split_lines(orig["page_text"]).texts)
    assert len(labels) == len(lines.texts), page["id"]
    x = F.features(page["page_text"], lines)
    y = np.asarray([CLASSES.index(lab) for lab in labels], dtype=np.int64)
    return x, y, lines.texts


def _fit_mlp(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int, seed: int, sample: int
) -> Any:
    from sklearn.neural_network import MLPClassifier

    # MLPClassifier has no sample weights: resample lines by weight instead
    # (which also bounds the training time).
    rng = np.random.default_rng(seed)
    p = w / w.sum()
    idx = rng.choice(len(y), size=min(sample, len(y)), replace=True, p=p)
    clf = MLPClassifier(
        hidden_layer_sizes=(hidden,),
        alpha=1e-3,
        batch_size=512,
        learning_rate_init=2e-3,
        max_iter=args_max_iter(),
        early_stopping=True,
        n_iter_no_change=5,
        random_state=seed,
    )
    clf.fit(x[idx], y[idx])
    return clf


def out_of_fold(
    xs: list[np.ndarray],
    ys: list[np.ndarray],
    pages: list[dict[str, Any]],
    fold: np.ndarray,
    args: argparse.Namespace,
    *,
    seed: int,
    name: str,
) -> list[np.ndarray]:
    """Each page's probabilities from an MLP fit on the other folds' pages
    (``fold``: each page's fold; fit k is seeded ``seed + k``)."""
    out: list[np.ndarray] = [np.zeros(0)] * len(pages)
    t0 = time.time()
    for k in range(args.folds):
        tr = np.flatnonzero(fold != k)
        clf = _fit_mlp(
            np.vstack([xs[i] for i in tr]),
            np.concatenate([ys[i] for i in tr]),
            line_weights([pages[i] for i in tr], [ys[i] for i in tr]),
            args.hidden,
            seed=seed + k,
            sample=args.sample,
        )
        arrs = _mlp_arrays(clf)
        for i in np.flatnonzero(fold == k):
            out[i] = _predict(arrs, xs[i])
        log(f"{name} fold {k} done ({time.time() - t0:.0f}s)")
    return out


def args_max_iter() -> int:
    return _MAX_ITER


_MAX_ITER = 20


def _mlp_arrays(clf: Any) -> dict[str, np.ndarray]:
    # Classes absent from the training sample would shift columns; all are present.
    assert list(clf.classes_) == list(range(len(CLASSES))), clf.classes_
    return {
        "w1": clf.coefs_[0].astype(np.float32),
        "b1": clf.intercepts_[0].astype(np.float32),
        "w2": clf.coefs_[1].astype(np.float32),
        "b2": clf.intercepts_[1].astype(np.float32),
    }


def _predict(arrs: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    h = np.maximum(x @ arrs["w1"] + arrs["b1"], 0)
    return softmax_(h @ arrs["w2"] + arrs["b2"])


def forest_arrays(booster: Any) -> dict[str, np.ndarray]:
    """A LightGBM multiclass booster as thresher.segment.forest's arrays:
    nodes in preorder (children after their parent), a leaf its own child,
    thresholds made float32 (``float32_thresholds``: same decisions for the
    float32 features), tree ``j`` adding to class ``j % num_class``."""
    from thresher.segment.forest import float32_thresholds

    dump = booster.dump_model()
    n_classes = dump["num_class"]
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []

    def walk(node: dict[str, Any]) -> int:
        i = len(feature)
        feature.append(0)
        threshold.append(0.0)
        left.append(i)
        right.append(i)
        value.append(float(node.get("leaf_value", 0.0)))
        if "split_feature" in node:
            # Numeric "<=" splits only; features are never NaN, so no
            # missing-value direction applies.
            if node["decision_type"] != "<=" or node.get("missing_type", "None") != "None":
                raise ValueError(f"unsupported split in the forest: {node}")
            feature[i] = node["split_feature"]
            threshold[i] = node["threshold"]
            left[i] = walk(node["left_child"])
            right[i] = walk(node["right_child"])
        return i

    roots = [walk(t["tree_structure"]) for t in dump["tree_info"]]
    leaf = np.asarray(left) == np.arange(len(left))
    return {
        "feature": np.asarray(feature, np.int32),
        "threshold": np.where(leaf, np.float32(0), float32_thresholds(np.asarray(threshold))),
        "left": np.asarray(left, np.int32),
        "right": np.asarray(right, np.int32),
        "value": np.asarray(value, np.float64),
        "roots": np.asarray(roots, np.int32),
        "tree_class": np.arange(len(roots), dtype=np.int32) % n_classes,
    }


def fit_forest(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, args: argparse.Namespace, seed: int
) -> dict[str, np.ndarray]:
    """Pass 3: LightGBM on float32 rows ``x`` (weights ``w``), as arrays."""
    import lightgbm as lgb

    if not np.isfinite(x).all():
        raise ValueError("forest input has NaN or infinite values")
    params = {
        "objective": "multiclass",
        "num_class": len(CLASSES),
        "num_leaves": args.forest_leaves,
        "max_depth": args.forest_depth,
        "learning_rate": 0.1,
        "min_data_in_leaf": 40,
        "lambda_l2": 1.0,
        "seed": seed,
        "deterministic": True,
        "force_col_wise": True,
        "verbose": -1,
    }
    data = lgb.Dataset(x, label=y, weight=w / w.mean())
    return forest_arrays(lgb.train(params, data, num_boost_round=args.forest_rounds))


#: The forest's size and where pass 2 hands over to it (chosen on the dev slice).
FOREST_ROUNDS = 60
FOREST_LEAVES = 63
FOREST_DEPTH = 8
UNSURE_BELOW = 0.98

#: Extra weight of the rare classes (title: one line a page at most).
CLASS_WEIGHT = {"title": 15.0, "main": 1.0, "boilerplate": 1.0, "comment": 1.5, "comment_meta": 2.0}


def line_weights(pages: list[dict[str, Any]], ys: list[np.ndarray]) -> np.ndarray:
    """A page weighs the square root of its line count, so that long
    boilerplate-heavy pages don't drown short ones; rare classes weigh more."""
    cw = np.asarray([CLASS_WEIGHT[c] for c in CLASSES])
    out = []
    for y in ys:
        n = max(len(y), 1)
        out.append(cw[y] / np.sqrt(n))
    return np.concatenate(out)


def _title_hit(line: str, gold: str) -> bool:
    """The line is the page's title (words only, casefolded; a site suffix or
    a shortened title of at least 60 % of it allowed)."""
    tk = " ".join(_WORD.findall(line.casefold()))
    gk = " ".join(_WORD.findall(gold.casefold()))
    return bool(tk) and (
        tk == gk or tk.startswith(gk) or (gk.startswith(tk) and len(tk) > 0.6 * len(gk))
    )


def write_headline_weights(model_dir: Path, w: np.ndarray, w_url: np.ndarray) -> None:
    """Store the ranker's weights, for pages without an address (``w``) and
    with one (``w_url``), rounded to 0.1, in ``model_dir/model.json``."""
    from thresher.segment import headline as H

    path = model_dir / "model.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["headline_clues"] = list(H.HEADLINE_NAMES)
    meta["headline_weights"] = [round(float(x), 1) for x in w]
    meta["headline_weights_url"] = [round(float(x), 1) for x in w_url]
    path.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log("headline weights written to", path, meta["headline_weights"], meta["headline_weights_url"])


def fit_headline(
    pages: list[dict[str, Any]],
    model_dir: Path,
    l2: float = 0.01,
    probs: list[np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The headline ranker's two sets of weights (``headline.HEADLINE_NAMES``),
    each a softmax over each WCXB page's candidates
    (``headline.headline_candidates`` on the step's labels before the title is
    chosen), fit by gradient descent to put the mass on the candidates that
    are the page's title: the first without the pages' addresses (its
    ``url_words`` clue is 0 on every candidate, and so is its weight), the
    second with them, on the pages where the address names a candidate (the
    step reads it on those). ``probs``: each page's line probabilities, in
    ``pages``' order, to read the clues from: out-of-fold ones in training
    (a model's title probability on its own training pages is far surer than
    on new ones, and a ranker fit on those trusts it too much). None:
    ``model_dir``'s model on the pages (in-sample when that model was trained
    on them)."""
    from thresher.segment import headline as H
    from thresher.segment import rules as R
    from thresher.segment.model import SegmentModel
    from thresher.steps.segment import Segment

    model = SegmentModel(model_dir, headline=False)
    step = Segment()
    url_col = HEADLINE_NAMES.index("url_words")
    plain: list[tuple[np.ndarray, np.ndarray]] = []
    named: list[tuple[np.ndarray, np.ndarray]] = []
    for n, p in enumerate(pages):
        if p["dataset"] != "wcxb_dev" or not p.get("title"):
            continue
        lines = F.split_lines(p["page_text"])
        if not lines.texts:
            continue
        x = F.features(p["page_text"], lines)
        prob = model.predict_many([x])[0] if probs is None else probs[n]
        labels = step._model_labels(lines.texts, prob, x)
        keys = [R.norm_key(t) for t in lines.texts]
        chrome = x[:, F.BASE_NAMES.index("kw_chrome")] > 0
        for groups, url in ((plain, None), (named, p.get("url"))):
            cands, clues = H.headline_candidates(
                lines.texts, labels, prob, keys, chrome, H.url_words(url), H.url_name(url)
            )
            y = np.asarray([_title_hit(lines.texts[i], p["title"]) for i in cands], dtype=float)
            # (With an address that names no candidate the step reads the first set.)
            if y.any() and (groups is plain or clues[:, url_col].any()):
                groups.append((clues, y / y.sum()))
    return _fit_softmax(plain, l2), _fit_softmax(named, l2)


def _fit_softmax(groups: list[tuple[np.ndarray, np.ndarray]], l2: float) -> np.ndarray:
    """Linear weights that put each group's softmax mass on its targets
    (``(clues, target shares)`` per page), by gradient descent with L2."""
    w = np.zeros(len(HEADLINE_NAMES))
    for _ in range(600):
        grad = l2 * w
        for x, t in groups:
            s = x @ w
            q = np.exp(s - s.max())
            grad += x.T @ (q / q.sum() - t) / len(groups)
        w -= 0.5 * grad
    log(f"headline ranker: {len(groups)} pages with the title among the candidates")
    return w


def in_share(page_id: str, share: float) -> bool:
    """Whether a training page is among the first ``share`` of them, by a hash
    of its id (for learning curves: a smaller share is a subset of a larger)."""
    return xxhash.xxh32_intdigest(("share" + page_id).encode()) % 10_000 < share * 10_000


def training_pages(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The pages to train on (the train split, ``--train-share`` of it, the
    dev slice unless ``--exclude-dev``) and their cipher copies."""
    keep = ("train",) if args.exclude_dev else ("train", "dev")
    pages = [
        p
        for p in load(args.data)
        if p["split"] in keep and (p["split"] == "dev" or in_share(p["id"], args.train_share))
    ]
    return pages + cipher_copies(pages, args.cipher_share)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=REPO / "src" / "thresher" / "models" / "segment")
    ap.add_argument(
        "--exclude-dev", action="store_true", help="leave the dev slice out (to choose settings)"
    )
    ap.add_argument(
        "--train-share",
        type=float,
        default=1.0,
        help="train on this share of the train split's pages (chosen by a hash of their "
        "ids; a learning curve: how the held-out figures grow with the data)",
    )
    ap.add_argument("--hidden", type=int, default=96)
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--sample", type=int, default=400_000, help="lines drawn per fit")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument(
        "--cipher-share",
        type=float,
        default=1.0,
        help="add a letter-substituted copy (cipher_table, one cipher per page) of this share "
        "of the training pages, so the model learns cues that hold in languages whose words "
        "its word lists don't know",
    )
    ap.add_argument("--forest-rounds", type=int, default=FOREST_ROUNDS, help="boosting rounds")
    ap.add_argument("--forest-leaves", type=int, default=FOREST_LEAVES, help="leaves per tree")
    ap.add_argument("--forest-depth", type=int, default=FOREST_DEPTH, help="depth per tree")
    ap.add_argument(
        "--unsure-below",
        type=float,
        default=UNSURE_BELOW,
        help="lines whose pass-2 top probability is below this go to the forest",
    )
    ap.add_argument(
        "--seed", type=int, default=0, help="added to every fit's seed (to measure training noise)"
    )
    ap.add_argument(
        "--headline-weights",
        type=Path,
        default=None,
        metavar="MODEL_DIR",
        help="fit the headline ranker's weights on train pages with this line model, "
        "write them into its model.json and exit (its probabilities on its own training "
        "pages: a full training reads out-of-fold ones instead)",
    )
    args = ap.parse_args()
    if not 0.0 < args.train_share <= 1.0:
        ap.error(f"--train-share must be above 0 and at most 1, got {args.train_share}")
    if not 0.0 <= args.cipher_share <= 1.0:
        ap.error(f"--cipher-share must be between 0 and 1, got {args.cipher_share}")
    if args.folds < 2:
        ap.error(f"--folds must be 2 or more (out-of-fold predictions), got {args.folds}")
    if args.forest_rounds < 1:
        ap.error(f"--forest-rounds must be 1 or more, got {args.forest_rounds}")
    if args.forest_leaves < 2:
        ap.error(f"--forest-leaves must be 2 or more, got {args.forest_leaves}")
    if not 1 <= args.forest_depth <= MAX_DEPTH:
        # The step walks every tree as a complete one of this depth.
        ap.error(f"--forest-depth must be between 1 and {MAX_DEPTH}, got {args.forest_depth}")
    if not 0.0 <= args.unsure_below <= 1.0:
        ap.error(f"--unsure-below must be between 0 and 1, got {args.unsure_below}")
    if args.headline_weights is not None:
        hp = training_pages(args)
        write_headline_weights(args.headline_weights, *fit_headline(hp, args.headline_weights))
        return
    global _MAX_ITER
    _MAX_ITER = args.epochs
    t0 = time.time()
    pages = training_pages(args)
    xs, ys = [], []
    for p in pages:
        x, y, _ = page_matrix(p)
        xs.append(x)
        ys.append(y)
    counts = np.bincount(np.concatenate(ys), minlength=len(CLASSES))
    log(
        f"{len(pages)} train pages, {sum(len(y) for y in ys)} lines, labels:",
        dict(zip(CLASSES, counts.tolist(), strict=True)),
        f"({time.time() - t0:.0f}s)",
    )
    xs = [x.astype(np.float32) for x in xs]
    x_all = np.vstack(xs)
    y_all = np.concatenate(ys)
    w_all = line_weights(pages, ys)
    mean = x_all.mean(axis=0)
    std = x_all.std(axis=0) + 1e-6
    xs_n = [((x - mean) / std).astype(np.float32) for x in xs]
    nf = x_all.shape[1]
    del x_all

    # Pass 1 out-of-fold probabilities for pass 2's training input.
    # A page's cipher copy goes in its fold: pass 1 must not have seen either.
    fold = np.asarray(
        [xxhash.xxh32_intdigest(p.get("copy_of", p["id"]).encode()) % args.folds for p in pages]
    )
    oof = out_of_fold(xs_n, ys, pages, fold, args, seed=args.seed, name="pass 1")
    pass1 = _mlp_arrays(
        _fit_mlp(
            np.vstack(xs_n), y_all, w_all, args.hidden, seed=99 + args.seed, sample=args.sample
        )
    )
    log(f"pass 1 done ({time.time() - t0:.0f}s)")

    x2 = [np.hstack([xs_n[i], context_probs(oof[i])]) for i in range(len(pages))]
    x2_all = np.vstack(x2)
    mean2 = x2_all[:, nf:].mean(axis=0)
    std2 = x2_all[:, nf:].std(axis=0) + 1e-6
    x2_all[:, nf:] = (x2_all[:, nf:] - mean2) / std2
    pass2 = _mlp_arrays(
        _fit_mlp(x2_all, y_all, w_all, args.hidden, seed=7 + args.seed, sample=args.sample)
    )
    log(f"pass 2 done ({time.time() - t0:.0f}s)")

    # Out-of-fold pass-2 probabilities, for the headline ranker only (the
    # shipped passes are the ones above).
    x2_pages = np.split(x2_all, np.cumsum([len(y) for y in ys])[:-1])
    oof2 = out_of_fold(x2_pages, ys, pages, fold, args, seed=17 + args.seed, name="pass 2")
    del x2, x2_pages, x2_all

    # Pass 3 reads what the step has: raw features and the pass-1 context.
    x3 = [np.hstack([xs[i], context_probs(oof[i])]).astype(np.float32) for i in range(len(pages))]
    forest = fit_forest(np.vstack(x3), y_all, w_all, args, seed=args.seed)
    log(f"forest done: {len(forest['roots'])} trees ({time.time() - t0:.0f}s)")
    # Out of fold, for the headline ranker: where pass 2 is unsure, the
    # forest of the other folds decides.
    from thresher.segment.forest import Forest

    w_pages = np.split(w_all, np.cumsum([len(y) for y in ys])[:-1])
    for k in range(args.folds):
        tr = np.flatnonzero(fold != k)
        f = Forest(
            fit_forest(
                np.vstack([x3[i] for i in tr]),
                np.concatenate([ys[i] for i in tr]),
                np.concatenate([w_pages[i] for i in tr]),
                args,
                seed=args.seed + 1 + k,
            ),
            x3[0].shape[1],
            len(CLASSES),
        )
        for i in np.flatnonzero(fold == k):
            unsure = oof2[i].max(axis=1) < args.unsure_below
            if unsure.any():
                oof2[i] = oof2[i].copy()
                oof2[i][unsure] = softmax_(f.raw_scores(x3[i][unsure]))
        log(f"forest fold {k} done ({time.time() - t0:.0f}s)")
    del x3

    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out / "model.npz",
        mean=mean.astype(np.float32),
        std=std.astype(np.float32),
        mean2=mean2.astype(np.float32),
        std2=std2.astype(np.float32),
        **{f"p1_{k}": v for k, v in pass1.items()},
        **{f"p2_{k}": v for k, v in pass2.items()},
        **{f"forest_{k}": v for k, v in forest.items()},
    )
    meta = {
        "format": FORMAT,
        "classes": list(CLASSES),
        "features": F.feature_names(),
        "hidden": args.hidden,
        "forest": {
            "rounds": args.forest_rounds,
            "leaves": args.forest_leaves,
            "depth": args.forest_depth,
            "trees": len(forest["roots"]),
            "nodes": len(forest["feature"]),
            "unsure_below": args.unsure_below,
        },
        "train_pages": sum("copy_of" not in p for p in pages),
        "train_lines": len(y_all),
        "cipher_copies": sum("copy_of" in p for p in pages),
        "label_counts": dict(zip(CLASSES, counts.tolist(), strict=True)),
        "split": "xxhash64(id) % 10 < 7 -> train",
    }
    (args.out / "model.json").write_text(json.dumps(meta, indent=1) + "\n")
    # The headline ranker reads the line model's probabilities: fit it on the
    # same pages, with the out-of-fold ones.
    write_headline_weights(args.out, *fit_headline(pages, args.out, probs=oof2))
    log(f"wrote {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
