"""A pure-Python twin of spaCy's blank English tokenizer, with integer token ids.

DataTrove's Gopher and FineWeb filters count words with ``spacy.blank("en")``
and C4 counts sentences with its ``sentencizer``; decisions near a threshold
depend on exactly where tokens split. This module replays spaCy's algorithm
(``spacy/tokenizer.pyx``: whitespace spans, special cases, prefix / suffix
loop, URL match, infixes, then the special-case phrase matcher) with the very
regular expressions and special cases spaCy ships, dumped to
``data/spacy_en_tokenizer.json`` by ``bench/quality_tokenizer_data.py``.

Speed comes from caching: a whitespace-delimited chunk is tokenized once per
worker and mapped to a tuple of integer ids, so a document costs one
``str.split`` and one dict lookup per chunk. Per-id properties (length, has a
letter, is punctuation, a 64-bit hash) live in numpy arrays, so the filters
compute their ratios with vectorized lookups instead of Python loops.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import chain, islice
from operator import methodcaller
from typing import Any

import numpy as np
import xxhash

from thresher.steps.quality.affixes import edge_chars, required_chars, suffix_searches
from thresher.steps.quality.text import PUNCTUATION_SET

# A token's UTF-8 bytes for its hash; a lone surrogate (Python's json decodes
# one) passes as itself rather than failing the batch and the token cache.
_ENCODE = methodcaller("encode", "utf-8", "surrogatepass")

#: Sentence classes of a token, for the sentencizer (see :meth:`Vocab.sentence_total`).
SENT_SKIP, SENT_WORD, SENT_FINAL = 0, 1, 2

# Caches are dropped (between documents) when they grow past this many entries,
# which bounds a worker's memory at a few hundred MB on any corpus.
_MAX_ENTRIES = 1_000_000
# Analyses kept for reuse by the next filters: documents, and words in all.
_MEMO_DOCS = 1024
_MEMO_TOKENS = 8_000_000


@lru_cache(1)
def _spacy_data() -> dict[str, Any]:
    path = resources.files("thresher.steps.quality").joinpath("data/spacy_en_tokenizer.json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _is_punct(text: str) -> bool:
    # spaCy's lex_attrs.is_punct: every character in a Unicode P* category.
    return all(unicodedata.category(ch).startswith("P") for ch in text)


class SpacyRules:
    """spaCy's English tokenization of one whitespace-free chunk, as strings."""

    def __init__(self) -> None:
        data = _spacy_data()
        self._prefix = re.compile(data["prefix"]).search
        self._suffix = re.compile(data["suffix"]).search
        self._infix = re.compile(data["infix"]).finditer
        # Prechecks (see affixes.py); None runs the full pattern every time.
        self._prefix_first = edge_chars(data["prefix"], last=False)
        self._suffix_by_last = suffix_searches(data["suffix"])
        self._infix_first = edge_chars(data["infix"], last=False)
        self._url = re.compile(data["url"]).match if data["url"] else None
        # A URL match needs every character of _url_needs (e.g. the host's ".").
        self._url_needs = required_chars(data["url"]) if data["url"] else frozenset()
        self._token_match = re.compile(data["token_match"]).match if data["token_match"] else None
        self.rules: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in data["rules"].items()}
        self.punct_chars: frozenset[str] = frozenset(data["punct_chars"])
        # Special cases the phrase matcher looks for after affix splitting
        # (tokenizer.pyx add_special_case, faster_heuristics=True).
        self._matcher: dict[tuple[str, ...], str] = {}
        for key in self.rules:
            if self._find_prefix(key) or self._find_suffix(key) or list(self._infixes(key)):
                self._matcher[tuple(self._split(key, specials=False))] = key
        self._matcher_max = max((len(k) for k in self._matcher), default=0)
        lengths: dict[str, set[int]] = {}
        for k in self._matcher:
            if len(k) > 1:
                lengths.setdefault(k[0], set()).add(len(k))
        self._matcher_first = {t: tuple(sorted(ls)) for t, ls in lengths.items()}

    def _find_prefix(self, s: str) -> int:
        first = self._prefix_first
        if first is not None and (not s or s[0] not in first):
            return 0
        m = self._prefix(s)
        return m.end() - m.start() if m else 0

    def _find_suffix(self, s: str) -> int:
        by_last = self._suffix_by_last
        if by_last is None:
            m = self._suffix(s)
        else:
            search = by_last.get(s[-1]) if s else None
            m = None if search is None else search(s)
        return m.end() - m.start() if m else 0

    def _infixes(self, s: str) -> Iterator[re.Match[str]]:
        """``infix.finditer(s)``, skipped when no character can begin an infix."""
        first = self._infix_first
        if first is not None and first.isdisjoint(s):
            return iter(())
        return self._infix(s)

    def tokenize(self, chunk: str) -> list[str]:
        """Tokens of a chunk without whitespace, exactly as spaCy splits it."""
        special = self.rules.get(chunk)
        if special is not None:
            return list(special)
        tokens = self._split(chunk, specials=True)
        if len(tokens) > 1 and self._matcher:
            tokens = self._apply_matcher(tokens)
        return tokens

    def _split(self, string: str, *, specials: bool) -> list[str]:
        rules = self.rules if specials else {}
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        # tokenizer.pyx _split_affixes
        while string and len(string) != last_size:
            if self._token_match and self._token_match(string):
                break
            if string in rules:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            prefix = minus_pre = ""
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in rules:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find_suffix(string[pre_len:])
            suffix = minus_suf = ""
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in rules:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        # tokenizer.pyx _attach_tokens
        out = prefixes
        if string:
            if string in rules:
                out.extend(rules[string])
            elif (self._token_match and self._token_match(string)) or (
                self._url and self._url_needs.issubset(string) and self._url(string)
            ):
                out.append(string)
            else:
                start = 0
                for match in self._infixes(string):
                    i_start, i_end = match.start(), match.end()
                    if i_start == 0:
                        continue
                    if i_start != start:
                        out.append(string[start:i_start])
                    if i_start != i_end:
                        out.append(string[i_start:i_end])
                    start = i_end
                if string[start:]:
                    out.append(string[start:])
        out.extend(reversed(suffixes))
        return out

    def _apply_matcher(self, tokens: list[str]) -> list[str]:
        # tokenizer.pyx _apply_special_cases: longest match first, no overlaps.
        # Only a token that starts a key (of two tokens or more) can start a
        # match, and only with that key's length.
        firsts = self._matcher_first
        if firsts.keys().isdisjoint(tokens):
            return tokens
        n = len(tokens)
        matcher = self._matcher
        found: list[tuple[int, int, str]] = []
        for i in range(n - 1):
            lengths = firsts.get(tokens[i])
            if lengths is None:
                continue
            for length in lengths:
                j = i + length
                if j > n:
                    break
                key = matcher.get(tuple(tokens[i:j]))
                if key is not None:
                    found.append((i, j, key))
        if not found:
            return tokens
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        taken = [False] * n
        chosen: dict[int, tuple[int, str]] = {}
        for i, j, key in found:
            if not taken[i] and not taken[j - 1]:
                chosen[i] = (j, key)
            for k in range(i, j):
                taken[k] = True
        out: list[str] = []
        i = 0
        while i < n:
            if i in chosen:
                j, key = chosen[i]
                out.extend(self.rules[key])
                i = j
            else:
                out.append(tokens[i])
                i += 1
        return out


@dataclass(slots=True)
class Tokens:
    """A text's lines (``str.splitlines``) and word ids; line ``i``'s words are
    ``ids[line_start[i]:line_start[i + 1]]``."""

    text: str
    lines: list[str]
    ids: np.ndarray
    line_start: np.ndarray

    def subset(self, text: str, lines: list[str], line_idx: np.ndarray) -> Tokens:
        """The analysis of ``text``, made of the given lines (same words) joined by newlines."""
        starts = self.line_start[line_idx]
        counts = self.line_start[line_idx + 1] - starts
        gather, _ = _ranges(starts, counts)
        line_start = np.zeros(len(line_idx) + 1, np.int64)
        np.cumsum(counts, out=line_start[1:])
        return Tokens(text, lines, self.ids[gather], line_start)


class _ChunkCache(dict[str, int]):
    """chunk -> chunk number (its token ids: ``Vocab.chunk_tokens[number]``); a miss
    tokenizes the chunk (so ``map(cache.__getitem__)`` runs in C for every chunk
    seen before)."""

    def __init__(self, vocab: Vocab) -> None:
        super().__init__()
        self._vocab = vocab

    def __missing__(self, chunk: str) -> int:
        self._vocab.add_chunks([chunk])
        return self[chunk]


_WORD_PUNCT = re.compile(r"[a-z]+[,.;:!?]\Z|[A-Za-z]+[,;:!?]\Z")
_OPEN_WORD = re.compile(r"[(\"][A-Za-z]+\Z")


class Vocab:
    """Token strings <-> integer ids, with per-id property arrays.

    One per worker process (see :func:`vocab`). ``tokenize`` returns the ids of a
    text's tokens (whitespace tokens dropped, as DataTrove's ``split_into_words``
    does); ``length``, ``nonsymbol``, ``alpha``, ``hash``, ``sent_class`` are
    numpy arrays indexed by id.
    """

    def __init__(self) -> None:
        self.rules = SpacyRules()
        self._reset()

    def __getstate__(self) -> None:
        raise TypeError("the vocabulary is per process; call vocab() in each worker")

    def _reset(self) -> None:
        self.ids: dict[str, int] = {}
        self.strings: list[str] = []
        self._cap = 0
        self._length = np.zeros(0, np.int64)
        self._nonsymbol = np.zeros(0, np.bool_)
        self._alpha = np.zeros(0, np.bool_)
        self._hash = np.zeros(0, np.uint64)
        self._sent_class = np.zeros(0, np.int8)
        # Tokens whose properties are in the arrays above; the rest are filled
        # in bulk on the next read.
        self._tokens_synced = 0
        # Chunk number -> its token ids, as a tuple and as a slice of _chunk_flat.
        self.chunk_tokens: list[tuple[int, ...]] = []
        self._chunk_start = np.zeros(0, np.int64)
        self._chunk_len = np.zeros(0, np.int64)
        self._chunk_flat = np.zeros(0, np.int64)
        self._flat_used = 0
        self._chunks_synced = 0  # chunks copied into the three arrays above
        self._chunks = _ChunkCache(self)
        self._chunks[""] = self.new_chunk(())
        self._memo: dict[str, Tokens] = {}
        # (generation, distinct chunks, their numbers) of the last batch.
        self._prev_chunks: tuple[int, Any, np.ndarray] | None = None
        self._memo_tokens = 0
        self.generation = getattr(self, "generation", -1) + 1

    def _sync_tokens(self) -> None:
        """Compute the properties of the tokens added since the last call."""
        done = self._tokens_synced
        new = self.strings[done:]
        if not new:
            return
        total = done + len(new)
        if total > self._cap:
            cap = max(1024, self._cap * 2)
            while cap < total:
                cap *= 2
            for name in ("_length", "_nonsymbol", "_alpha", "_hash", "_sent_class"):
                old = getattr(self, name)
                grown = np.zeros(cap, old.dtype)
                grown[: len(old)] = old
                setattr(self, name, grown)
            self._cap = cap
        count = len(new)
        # A token of letters only has a letter, is not punctuation, and is a
        # word to the sentencizer (no letter is in PUNCTUATION_SET or punct_chars).
        word = np.fromiter(map(str.isalpha, new), np.bool_, count)
        alpha = word.copy()
        sent = np.full(count, SENT_WORD, np.int8)
        punct_chars = self.rules.punct_chars
        for k in np.flatnonzero(~word).tolist():
            token = new[k]
            alpha[k] = any(map(str.isalpha, token))
            if token in punct_chars:
                sent[k] = SENT_FINAL
            elif _is_punct(token):
                sent[k] = SENT_SKIP
        # A "symbol" token has only characters of PUNCTUATION_SET.
        symbol = np.fromiter(map(PUNCTUATION_SET.issuperset, new), np.bool_, count)
        self._length[done:total] = np.fromiter(map(len, new), np.int64, count)
        self._hash[done:total] = np.fromiter(
            map(xxhash.xxh64_intdigest, map(_ENCODE, new)), np.uint64, count
        )
        np.logical_not(symbol, out=self._nonsymbol[done:total])
        self._alpha[done:total] = alpha
        self._sent_class[done:total] = sent
        self._tokens_synced = total

    def _synced(self, attr: str) -> np.ndarray:
        """A token property array, brought up to date with the new tokens first."""
        if self._tokens_synced != len(self.strings):
            self._sync_tokens()
        array: np.ndarray = getattr(self, attr)
        return array

    @property
    def length(self) -> np.ndarray:
        """Characters of each token, by id."""
        return self._synced("_length")

    @property
    def nonsymbol(self) -> np.ndarray:
        """Whether a token has a character outside DataTrove's punctuation, by id."""
        return self._synced("_nonsymbol")

    @property
    def alpha(self) -> np.ndarray:
        """Whether a token has a letter, by id."""
        return self._synced("_alpha")

    @property
    def hash(self) -> np.ndarray:
        """xxh64 of each token's UTF-8, by id."""
        return self._synced("_hash")

    @property
    def sent_class(self) -> np.ndarray:
        """Each token's SENT_SKIP / SENT_WORD / SENT_FINAL class, by id."""
        return self._synced("_sent_class")

    def new_chunk(self, ids: tuple[int, ...]) -> int:
        """Number a new chunk whose tokens are ``ids``."""
        code = len(self.chunk_tokens)
        self.chunk_tokens.append(ids)
        return code

    def _sync_chunk_arrays(self) -> None:
        """Copy the chunks numbered since the last call into ``_chunk_start``,
        ``_chunk_len`` and ``_chunk_flat`` (in bulk, not one chunk at a time)."""
        done = self._chunks_synced
        new = self.chunk_tokens[done:]
        if not new:
            return
        total = done + len(new)
        lens = np.fromiter(map(len, new), np.int64, len(new))
        flat = np.fromiter(chain.from_iterable(new), np.int64, int(lens.sum()))
        if total > len(self._chunk_start):
            cap = max(1024, 2 * total)
            self._chunk_start = np.resize(self._chunk_start, cap)
            self._chunk_len = np.resize(self._chunk_len, cap)
        used = self._flat_used
        if used + len(flat) > len(self._chunk_flat):
            self._chunk_flat = np.resize(self._chunk_flat, max(4096, 2 * (used + len(flat))))
        self._chunk_flat[used : used + len(flat)] = flat
        self._chunk_len[done:total] = lens
        starts = self._chunk_start[done:total]
        np.cumsum(lens, out=starts)
        starts -= lens
        starts += used
        self._flat_used = used + len(flat)
        self._chunks_synced = total

    def _chunk_tuples(self, chunks: Iterable[str]) -> list[tuple[int, ...]]:
        return list(map(self.chunk_tokens.__getitem__, map(self._chunks.__getitem__, chunks)))

    def add(self, token: str) -> int:
        """The id of ``token``, adding it when new (its properties are computed
        on the next read of a property array)."""
        tid = self.ids.get(token)
        if tid is not None:
            return tid
        tid = len(self.strings)
        self.ids[token] = tid
        self.strings.append(token)
        return tid

    def _chunk_strings(self, chunk: str) -> tuple[str, ...]:
        """The tokens of a whitespace-free chunk, as spaCy splits it."""
        rules = self.rules.rules
        special = rules.get(chunk)
        if special is not None:
            return special
        # Fast paths, checked against spaCy on every chunk of the parity corpus
        # (bench/quality_tokenizer_data.py --check): letters or ASCII digits
        # alone are one token; letters with one trailing , ; : ! ? (or a
        # lowercase word with a final "."), or one leading ( or ", are two.
        if chunk.isalpha() or (chunk.isascii() and chunk.isdigit()):
            return (chunk,)
        if _WORD_PUNCT.match(chunk) is not None and chunk[:-1] not in rules:
            return (chunk[:-1], chunk[-1])
        if _OPEN_WORD.match(chunk) is not None and chunk[1:] not in rules:
            return (chunk[0], chunk[1:])
        return tuple(self.rules.tokenize(chunk))

    def add_chunks(self, chunks: list[str]) -> None:
        """Tokenize and number new, distinct chunks, adding their new tokens (in
        bulk: the per-chunk work is the tokenization alone)."""
        strings = list(map(self._chunk_strings, chunks))
        flat = list(chain.from_iterable(strings))
        ids = self.ids
        new = [t for t, tid in zip(flat, map(ids.get, flat), strict=True) if tid is None]
        if new:
            new = list(dict.fromkeys(new))
            first = len(self.strings)
            ids.update(zip(new, range(first, first + len(new)), strict=True))
            self.strings.extend(new)
        flat_ids = iter(list(map(ids.__getitem__, flat)))
        first = len(self.chunk_tokens)
        self.chunk_tokens.extend([tuple(islice(flat_ids, len(t))) for t in strings])
        self._chunks.update(zip(chunks, range(first, first + len(chunks)), strict=True))

    def maybe_reset(self) -> None:
        """Drop every cache when it has grown too big (call between documents)."""
        if len(self.strings) > _MAX_ENTRIES or len(self._chunks) > _MAX_ENTRIES:
            self._reset()

    def chunk_ids(self, chunks: list[str]) -> Iterator[int]:
        return chain.from_iterable(self._chunk_tuples(chunks))

    def analyze(self, text: str) -> Tokens:
        """The lines and word ids of ``text``; the last text analyzed is memoized,
        so the filters of a chain tokenize a document once."""
        memo = self._memo.get(text)
        if memo is not None:
            return memo
        self.maybe_reset()
        lines = text.splitlines()
        # Every line break is whitespace to spaCy, so a text's tokens are its
        # lines' tokens, and its chunks its lines' str.split().
        line_chunks = [line.split() for line in lines]
        tuples = self._chunk_tuples(chain.from_iterable(line_chunks))
        ids = np.fromiter(chain.from_iterable(tuples), np.int64)
        per_chunk = np.fromiter(map(len, tuples), np.int64, len(tuples))
        per_line = np.fromiter(map(len, line_chunks), np.int64, len(lines))
        chunk_start = np.zeros(len(tuples) + 1, np.int64)
        np.cumsum(per_chunk, out=chunk_start[1:])
        line_chunk = np.zeros(len(lines) + 1, np.int64)
        np.cumsum(per_line, out=line_chunk[1:])
        tokens = Tokens(text, lines, ids, chunk_start[line_chunk])
        self.remember(tokens)
        return tokens

    def analyze_batch(self, texts: list[str]) -> None:
        """Analyze many texts at once into the memo (what the filters' batches do).

        Arrow splits every line of the batch on whitespace (its whitespace is
        exactly Python's ``str.isspace``) and finds the distinct chunks in C++;
        Python then only looks up each distinct chunk of the batch once.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        memo = self._memo
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if len(todo) < 2:
            for text in todo:
                self.analyze(text)
            return
        self.maybe_reset()
        doc_lines = [t.splitlines() for t in todo]
        doc_line = np.zeros(len(todo) + 1, np.int64)
        np.cumsum(np.fromiter(map(len, doc_lines), np.int64, len(todo)), out=doc_line[1:])
        split = pc.utf8_split_whitespace(
            pa.array(list(chain.from_iterable(doc_lines)), pa.large_string())
        )
        line_chunk = split.offsets.to_numpy()
        encoded = pc.dictionary_encode(split.flatten())
        chunk_of = encoded.indices.to_numpy()
        # "" (from leading or trailing whitespace, or an empty line) has no tokens.
        dictionary = encoded.dictionary
        # Chunks of the previous batch are matched in Arrow (most recur); only
        # the others become Python strings and go through the chunk dict.
        codes = np.full(len(dictionary), -1, np.int64)
        prev = self._prev_chunks
        if prev is not None and prev[0] == self.generation:
            at = pc.index_in(dictionary, value_set=prev[1]).fill_null(-1).to_numpy()
            hit = at >= 0
            codes[hit] = prev[2][at[hit]]
            rest = np.flatnonzero(~hit)
            unique = dictionary.take(pa.array(rest)).to_pylist()
        else:
            rest = np.arange(len(dictionary))
            unique = dictionary.to_pylist()
        found = list(map(self._chunks.get, unique))
        if None in found:
            self.add_chunks([c for c, code in zip(unique, found, strict=True) if code is None])
            found = list(map(self._chunks.__getitem__, unique))
        codes[rest] = np.fromiter(found, np.int64, len(unique))
        self._prev_chunks = (self.generation, dictionary, codes)
        # (Read after the lookups, which number new chunks.)
        self._sync_chunk_arrays()
        codes = codes[chunk_of]
        per_chunk = self._chunk_len[codes]
        ids = self._chunk_flat[_range_concat(self._chunk_start[codes], per_chunk)]
        chunk_tok = np.zeros(len(chunk_of) + 1, np.int64)
        np.cumsum(per_chunk, out=chunk_tok[1:])
        line_tok = chunk_tok[line_chunk]
        for d, text in enumerate(todo):
            starts = line_tok[doc_line[d] : doc_line[d + 1] + 1]
            first = int(starts[0])
            self.remember(Tokens(text, doc_lines[d], ids[first : starts[-1]], starts - first))

    def remember(self, tokens: Tokens) -> None:
        """Memoize the analysis of a text (also one a step built, e.g. C4's kept lines)."""
        memo = self._memo
        old = memo.pop(tokens.text, None)
        if old is not None:
            self._memo_tokens -= len(old.ids)
        memo[tokens.text] = tokens
        self._memo_tokens += len(tokens.ids)
        # Oldest first out; sized for a batch of the executor (256 documents)
        # going through the filters one step at a time.
        while len(memo) > _MEMO_DOCS or (self._memo_tokens > _MEMO_TOKENS and len(memo) > 1):
            old = memo.pop(next(iter(memo)))
            self._memo_tokens -= len(old.ids)

    def tokenize(self, text: str) -> np.ndarray:
        """int64 ids of the words of ``text`` (DataTrove ``split_into_words``)."""
        return self.analyze(text).ids

    def words(self, text: str) -> list[str]:
        """The word strings of ``text`` (for tests and debugging)."""
        strings = self.strings
        return [strings[i] for i in self.tokenize(text).tolist()]

    def line_sentences(self, tokens: Tokens, line_idx: np.ndarray) -> int:
        """Sentences the sentencizer finds in the given lines of ``tokens``, each a
        document of its own, summed (see :meth:`sentence_total`); the lines must
        hold no whitespace run other than single spaces."""
        if len(line_idx) == 0:
            return 0
        starts = tokens.line_start[line_idx]
        counts = tokens.line_start[line_idx + 1] - starts
        gather, line_of = _ranges(starts, counts)
        return self._sentences(tokens.ids[gather], line_of, counts)

    def sentence_total(self, lines: list[str]) -> int:
        """Sentences spaCy's ``sentencizer`` finds, summed over lines (no newlines).

        The sentencizer starts a sentence at a token that is neither punctuation
        nor sentence-final when a sentence-final character (``.``, ``!``, ...)
        came since the last such token; each line is a document of its own.
        A whitespace run other than one space is a token there (spaCy attaches
        one space to the previous token), counted as a word: it is replaced by
        a stand-in word, ``\\x00``.
        """
        if not lines:
            return 0
        line_chunks = [
            (_ODD_RUN.sub(" \x00 ", line) if ODD_SPACE.search(line) else line).split()
            for line in lines
        ]
        tuples = self._chunk_tuples(chain.from_iterable(line_chunks))
        ids = np.fromiter(chain.from_iterable(tuples), np.int64)
        per_chunk = np.fromiter(map(len, tuples), np.int64, len(tuples))
        per_line = np.fromiter(map(len, line_chunks), np.int64, len(lines))
        chunk_start = np.zeros(len(tuples) + 1, np.int64)
        np.cumsum(per_chunk, out=chunk_start[1:])
        line_chunk = np.zeros(len(lines) + 1, np.int64)
        np.cumsum(per_line, out=line_chunk[1:])
        bounds = chunk_start[line_chunk]
        counts = np.diff(bounds)
        return self._sentences(ids, np.repeat(np.arange(len(lines)), counts), counts)

    def _sentences(self, ids: np.ndarray, line_of: np.ndarray, counts: np.ndarray) -> int:
        """Sentence count over lines: ``ids`` concatenated, ``line_of`` each id's line.

        Besides each line's first token, a sentence starts at a word whose
        previous non-punctuation token in its line is sentence-final (a final
        mark came since the line's previous word, or since the line began).
        """
        cls = self.sent_class[ids]
        keep = cls != SENT_SKIP
        kept = cls[keep]
        line = line_of[keep]
        starts = kept[1:] == SENT_WORD
        starts &= kept[:-1] == SENT_FINAL
        starts &= line[1:] == line[:-1]
        return len(counts) + int(np.count_nonzero(starts))


# A whitespace run that is not exactly one space.
_ODD_RUN = re.compile(r"\s\s+|[^\S ]")
ODD_SPACE = re.compile(r"[^\S ]| {2}")


def _ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated ``arange(start, start + count)`` and the range number of each."""
    total = int(counts.sum())
    which = np.repeat(np.arange(len(counts)), counts)
    offsets = np.zeros(len(counts), np.int64)
    np.cumsum(counts[:-1], out=offsets[1:])
    return starts[which] + np.arange(total) - offsets[which], which


def _range_concat(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + count)`` (:func:`_ranges` without the numbers)."""
    offsets = np.zeros(len(counts), np.int64)
    np.cumsum(counts[:-1], out=offsets[1:])
    gather = np.repeat(starts - offsets, counts)
    gather += np.arange(len(gather))
    return gather


_VOCAB: Vocab | None = None


def vocab() -> Vocab:
    """This process's shared vocabulary (built on first use)."""
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = Vocab()
    return _VOCAB
