"""Train thresher's language identifier (src/thresher/models/langid/langid.npz).

Data recipe (see src/thresher/models/langid/MODEL_CARD.md):

* **n-gram tables, distilled from lingua.** lingua-language-detector (Apache-2.0)
  ships, inside its compiled module, brotli-compressed JSON tables of letter
  n-gram probabilities (orders 1-5) for 75 languages, estimated from the Leipzig
  corpora. We read them straight out of the installed shared library (the
  ``include_dir`` file table: path and contents slices, resolved through the
  ELF's relative relocations), hash each n-gram into buckets and store the
  quantized log-probability bonus ``log p(ngram | prefix) - log floor_n``.
* **Held-in sentences** of ``langid/lingua_dev.jsonl.gz`` (lines with an *even*
  line number, 250 per language) fit the confidence temperature and the
  rerankers for close languages. Lines with an *odd* number are never read here:
  they are the held-out set of eval/langid.py.

Needs ``pip install brotli pyelftools scikit-learn`` (training only).

    .venv/bin/python train/langid.py [--data ../shared/data] [--out PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from thresher.langid.features import hash_grams, letter_ranges  # noqa: E402
from thresher.langid.model import DEFAULT_MODEL, LangIdModel  # noqa: E402

ORDERS = (1, 2, 3, 4)
NAMES = {1: "unigrams", 2: "bigrams", 3: "trigrams", 4: "quadrigrams", 5: "fivegrams"}
#: Buckets per order (log2) and the probability floor (natural log) under which
#: an n-gram earns no bonus. Chosen on held-in sentences (see MODEL_CARD.md).
BITS = {1: 16, 2: 18, 3: 19, 4: 19}
FLOORS = {1: -12.0, 2: -10.0, 3: -8.0, 4: -7.0}
SCALE = 1.0 / 16.0  # one uint8 step of a table = 1/16 nat
GROUP_BITS = 18
#: Inverse regularization of the group rerankers. Chosen on held-in sentences,
#: rerankers cross-fitted (trained on lines 0 mod 4, scored on 2 mod 4 and the
#: other way round). In-group sentence errors of all groups: C = 1: 397, 0.3:
#: 386, 0.1: 379, 0.03: 384. All errors, sentences / 20-sentence documents:
#: C = 1: 572 / 2, 0.3: 563 / 2, 0.1: 553 / 7 (of 18,535 / 1,038). 0.3 is
#: better than 1 on both; 0.1 loses documents.
GROUP_C = 0.3
#: A text whose non-Latin letters are at least this share is scored without its
#: Latin letters. Chosen on held-in sentences with naive Bayes alone: 0.25 fixes
#: 54 full sentences and breaks 3 (first 10 words: 42 and 2); 0.15 breaks 8,
#: 0.3 fixes only 51.
MINOR_LATIN = 0.25
#: Close languages that naive Bayes on lingua's tables confuses (held-in confusions).
GROUPS = (("ms", "id"), ("bs", "hr", "sr"), ("nb", "nn", "da"), ("ca", "es"), ("cs", "sk"))


def lingua_tables() -> tuple[list[str], dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Read lingua's n-gram tables from its compiled module.

    Returns the ISO 639-1 codes and, per order, ``(codepoints (N, n), lang index,
    log probability)``.
    """
    try:
        import brotli
        import lingua
        from elftools.elf.elffile import ELFFile
    except ImportError as exc:
        sys.exit(f"training needs: pip install brotli pyelftools lingua-language-detector ({exc})")
    so = next(Path(lingua.__file__).parent.glob("lingua*.so"))
    data = so.read_bytes()
    with so.open("rb") as fh:
        elf = ELFFile(fh)
        segs = [
            (s["p_vaddr"], s["p_offset"], s["p_filesz"])
            for s in elf.iter_segments()
            if s["p_type"] == "PT_LOAD"
        ]
        raw = elf.get_section_by_name(".rela.dyn").data()
    rel = {}
    for i in range(0, len(raw), 24):
        off, info, addend = struct.unpack_from("<QQq", raw, i)
        if info & 0xFFFFFFFF == 8:  # R_X86_64_RELATIVE
            rel[off] = addend

    def file_offset(vaddr: int) -> int | None:
        for va, fo, size in segs:
            if va <= vaddr < va + size:
                return vaddr - va + fo
        return None

    wanted = {f"{name}.json.br": n for n, name in NAMES.items()}
    per_lang: dict[str, dict[int, dict[str, str]]] = {}
    for off, addend in rel.items():
        o = file_offset(off)
        if o is None or off + 16 not in rel:
            continue
        length = struct.unpack_from("<Q", data, o + 8)[0]
        so_ = file_offset(addend)
        if so_ is None or length > 64:
            continue
        name = data[so_ : so_ + length].decode("utf-8", "replace")
        if name not in wanted:
            continue
        co = file_offset(rel[off + 16])
        clen = struct.unpack_from("<Q", data, o + 24)[0]
        if co is None:
            continue
        table = json.loads(brotli.decompress(data[co : co + clen]))
        per_lang.setdefault(table["language"], {})[wanted[name]] = table["ngrams"]
    if len(per_lang) < 75:
        sys.exit(
            f"found lingua tables for {len(per_lang)} languages only; lingua's layout changed?"
        )
    names = sorted(per_lang)
    codes = [getattr(lingua.Language, n).iso_code_639_1.name.lower() for n in names]
    out = {}
    for n in NAMES:
        cps, lang, logp = [], [], []
        for i, lname in enumerate(names):
            for frac, grams in per_lang[lname].get(n, {}).items():
                num, den = map(int, frac.split("/"))
                g = [x for x in grams.split(" ") if len(x) == n]
                if g:
                    cps.append(
                        np.frombuffer("".join(g).encode("utf-32-le"), np.uint32).reshape(-1, n)
                    )
                    lang.append(np.full(len(g), i, np.int64))
                    logp.append(np.full(len(g), np.log(num / den)))
        out[n] = (np.concatenate(cps), np.concatenate(lang), np.concatenate(logp))
    return codes, out


def build_tables(tables: dict, n_langs: int) -> dict[str, np.ndarray]:
    arrays = {}
    for n in ORDERS:
        cps, lang, logp = tables[n]
        bucket = hash_grams(cps, BITS[n])
        # Colliding n-grams of one language share a bucket: add their probabilities.
        p = np.bincount(
            bucket * n_langs + lang, weights=np.exp(logp), minlength=(1 << BITS[n]) * n_langs
        )
        with np.errstate(divide="ignore"):
            bonus = np.log(p) - FLOORS[n]
        q = np.clip(np.round(np.maximum(bonus, 0) / SCALE), 0, 255).astype(np.uint8)
        arrays[f"w{n}"] = q.reshape(-1, n_langs)
    return arrays


def read_split(path: Path, parity: int) -> tuple[list[str], list[str], np.ndarray]:
    """Texts, languages and line numbers of the lines whose number has this parity."""
    texts, labels, numbers = [], [], []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            number = int(r["id"].rsplit("-", 1)[1])
            if number % 2 == parity:
                texts.append(r["text"])
                labels.append(r["lang"])
                numbers.append(number)
    return texts, labels, np.array(numbers)


def first_words(texts: list[str], k: int) -> list[str]:
    return [" ".join(t.split()[:k]) for t in texts]


def fit_temperature(model: LangIdModel, texts: list[str], y: np.ndarray) -> tuple[float, float]:
    """Grid-search ``t0, alpha`` minimizing the negative log-likelihood of the
    true language on full sentences and their first 10, 5 and 2 words."""
    all_scores, all_letters, all_y = [], [], []
    for variant in (texts, first_words(texts, 10), first_words(texts, 5), first_words(texts, 2)):
        s, n = model.nb_scores(model.batch(variant))
        keep = n > 0
        all_scores.append(s[keep])
        all_letters.append(n[keep])
        all_y.append(y[keep])
    s = np.concatenate(all_scores).astype(np.float64)
    n = np.concatenate(all_letters)
    yy = np.concatenate(all_y)
    best = (np.inf, 1.0, 0.0)
    for alpha in np.arange(0.0, 1.01, 0.05):
        for t0 in np.exp(np.arange(-3, 4.01, 0.1)):
            z = s / (t0 * n**alpha)[:, None]
            z -= z.max(axis=1, keepdims=True)
            nll = -(z[np.arange(len(z)), yy] - np.log(np.exp(z).sum(axis=1))).mean()
            if nll < best[0]:
                best = (nll, float(t0), float(alpha))
    print(f"temperature: t0={best[1]:.3f} alpha={best[2]:.2f} nll={best[0]:.4f}")
    return best[1], best[2]


def train_groups(model: LangIdModel, texts: list[str], y: np.ndarray, codes: list[str]) -> dict:
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    # Train each reranker on full sentences and on their first 10 words.
    texts = texts + first_words(texts, 10)
    y = np.concatenate([y, y])
    batch = model.batch(texts)
    scores, _ = model.nb_scores(batch)
    out: dict[str, np.ndarray] = {"n_groups": np.array(len(GROUPS))}
    for k, group in enumerate(GROUPS):
        members = np.array(sorted(codes.index(c) for c in group))
        keep = np.isin(y, members)
        d, b, v = model.group_features(batch, keep)
        rows = np.searchsorted(np.flatnonzero(keep), d)
        x = sp.csr_matrix((v, (rows, b)), shape=(int(keep.sum()), 1 << GROUP_BITS))
        rel = scores[keep][:, members]
        rel = rel - rel.max(axis=1, keepdims=True)
        clf = LogisticRegression(C=GROUP_C, max_iter=2000)
        clf.fit(sp.hstack([x, sp.csr_matrix(rel)]).tocsr(), y[keep])
        classes = clf.classes_  # sorted language indices
        if len(classes) == 2:  # binary LR: one weight vector for classes_[1] vs classes_[0]
            coef = np.vstack([-clf.coef_[0] / 2, clf.coef_[0] / 2])
            icpt = np.array([-clf.intercept_[0] / 2, clf.intercept_[0] / 2])
        else:
            coef, icpt = clf.coef_, clf.intercept_
        used = np.flatnonzero(np.abs(coef[:, : 1 << GROUP_BITS]).max(axis=0) > 1e-3)
        out[f"g{k}_members"] = classes.astype(np.int16)
        out[f"g{k}_index"] = used.astype(np.int32)
        out[f"g{k}_coef"] = coef[:, used].T.astype(np.float16)
        out[f"g{k}_nb_coef"] = coef[:, 1 << GROUP_BITS :].astype(np.float32)
        out[f"g{k}_intercept"] = icpt.astype(np.float32)
        print(f"reranker {'/'.join(group)}: {keep.sum()} texts, {len(used)} features")
    return out


def fit_calibration(
    arrays: dict[str, np.ndarray],
    texts: list[str],
    y: np.ndarray,
    numbers: np.ndarray,
    codes: list[str],
) -> dict[str, np.ndarray]:
    """Map the model's top probability to the chance it is right (isotonic regression).

    Cross-fitted, so the rerankers' confidence is judged on text they did not
    see: rerankers trained on lines numbered 0 mod 4 score lines 2 mod 4 and the
    other way round, for full sentences and their first 10, 5 and 2 words.
    """
    from sklearn.isotonic import IsotonicRegression

    conf, correct = [], []
    for fold in (0, 2):
        fit = numbers % 4 == fold
        fitted = dict(arrays)
        fitted.update(
            train_groups(
                LangIdModel(arrays),
                [t for t, f in zip(texts, fit, strict=True) if f],
                y[fit],
                codes,
            )
        )
        model = LangIdModel(fitted)
        held = [t for t, f in zip(texts, fit, strict=True) if not f]
        for variant in (held, first_words(held, 10), first_words(held, 5), first_words(held, 2)):
            proba, letters = model.predict_proba(variant)
            keep = letters > 0
            conf.append(proba.max(axis=1)[keep])
            correct.append((proba.argmax(axis=1) == y[~fit])[keep])
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    iso.fit(np.concatenate(conf), np.concatenate(correct).astype(np.float64))
    print(f"calibration: {len(iso.X_thresholds_)} isotonic steps")
    return {
        "calib_x": iso.X_thresholds_.astype(np.float64),
        "calib_y": iso.y_thresholds_.astype(np.float64),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--cache", type=Path, help="keep the tables read from lingua in this .npz")
    args = ap.parse_args(argv)
    dev = args.data / "langid" / "lingua_dev.jsonl.gz"
    if not dev.exists():
        sys.exit(f"{dev} not found: pass --data DIR holding langid/lingua_dev.jsonl.gz")
    t = time.time()
    if args.cache and args.cache.exists():
        with np.load(args.cache, allow_pickle=False) as z:
            codes = [str(c) for c in z["codes"]]
            tables = {n: (z[f"cp{n}"], z[f"lang{n}"], z[f"logp{n}"]) for n in NAMES}
    else:
        codes, tables = lingua_tables()
        if args.cache:
            flat = {
                f"{k}{n}": v
                for n, t in tables.items()
                for k, v in zip(("cp", "lang", "logp"), t, strict=True)
            }
            np.savez(args.cache, codes=np.array(codes), **flat)
    print(
        f"lingua tables: {len(codes)} languages, {sum(len(v[0]) for v in tables.values())} n-grams ({time.time() - t:.0f}s)"
    )
    arrays: dict[str, np.ndarray] = {
        "langs": np.array(codes),
        "letters": letter_ranges(),
        "orders": np.array(ORDERS),
        "bits": np.array([BITS[n] for n in ORDERS]),
        "scale": np.array(SCALE),
        "temperature": np.array([1.0, 0.0]),
        "group_bits": np.array(GROUP_BITS),
        "n_groups": np.array(0),
        "minor_latin": np.array(MINOR_LATIN),
    }
    arrays.update(build_tables(tables, len(codes)))
    texts, labels, numbers = read_split(dev, parity=0)
    y = np.array([codes.index(c) for c in labels])
    model = LangIdModel(arrays)
    arrays["temperature"] = np.array(fit_temperature(model, texts, y))
    arrays.update(fit_calibration(arrays, texts, y, numbers, codes))
    model = LangIdModel(arrays)
    arrays.update(train_groups(model, texts, y, codes))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.time() - t:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
