/* Gopher repetition's word n-gram counts, one document per call.
 *
 * The compiled twin of thresher/steps/quality/ngrams.py (ngram_hashes,
 * top_ngram_chars, dup_ngram_chars); it gives the same integers, bit for bit,
 * including which n-grams count as equal: the top 44 bits of the 64-bit
 * polynomial hash name an n-gram when the document has fewer than 2^20 of
 * them (the numpy path sorts packed (hash, position) keys), the whole hash
 * otherwise. Hash tables replace the sorts; nothing is kept between calls.
 *
 *   repetition(ids, vocab_hash, vocab_length, top_ns, dup_ns)
 *       -> (tuple of top n-gram characters, tuple of duplicated n-gram characters)
 *
 * ids: int64 word ids (C-contiguous buffer), vocab_hash: uint64 per id,
 * vocab_length: int64 per id; top_ns: a tuple of n >= 1; dup_ns: a tuple of
 * ascending consecutive n >= 1.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define M_MULT 0x9E3779B97F4A7C15ULL
#define POS_BITS 20
#define HASH_MASK (~(uint64_t)((1u << POS_BITS) - 1))
#define MAX_NS 64

/* ---- an open-addressing table: identity -> entry index ------------------- */

typedef struct {
    uint32_t gen;   /* the slot is empty unless gen is the table's */
    uint32_t entry; /* entry index: its key is the table's key[entry] */
} Slot;

/* One table serves every n of a call: table_reset empties it (a new
 * generation, so the slots need no clearing). */
typedef struct {
    Slot *slots;
    uint64_t *key;
    size_t mask;
    int shift; /* 64 - log2(slots) */
    uint32_t gen;
    Py_ssize_t *count;
    Py_ssize_t *first;   /* first position seen (top) */
    unsigned char *mark; /* remembered by the walk (dup) */
    Py_ssize_t used;
} Table;

static void table_free(Table *t) {
    free(t->slots);
    free(t->key);
    free(t->count);
    free(t->first);
    free(t->mark);
    memset(t, 0, sizeof(*t));
}

/* log2 of the slots for n keys: a load of at most 1/8 (fewer, and shorter,
 * probes: a third faster than 1/2 on web pages; 8-byte slots, so at most 4 MB),
 * 1/2 past 2^16 keys. */
static int slot_bits(Py_ssize_t n) {
    size_t want = (size_t)n * (n <= (1 << 16) ? 8 : 2);
    int bits = 4;
    while (((size_t)1 << bits) < want) bits++;
    return bits;
}

/* A table for up to cap distinct keys; 0 on success, -1 (MemoryError set). */
static int table_init(Table *t, Py_ssize_t cap) {
    size_t size;
    memset(t, 0, sizeof(*t));
    if (cap < 1) cap = 1;
    size = (size_t)1 << slot_bits(cap); /* the most table_reset asks for */
    if ((uint64_t)cap > UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "too many words for one document");
        return -1;
    }
    t->slots = calloc(size, sizeof(Slot));
    t->key = malloc((size_t)cap * sizeof(uint64_t));
    t->count = malloc((size_t)cap * sizeof(Py_ssize_t));
    t->first = malloc((size_t)cap * sizeof(Py_ssize_t));
    t->mark = malloc((size_t)cap);
    if (!t->slots || !t->key || !t->count || !t->first || !t->mark) {
        table_free(t);
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* Empty the table for up to n keys (n <= its capacity). */
static void table_reset(Table *t, Py_ssize_t n) {
    int bits = slot_bits(n);
    t->mask = ((size_t)1 << bits) - 1;
    t->shift = 64 - bits;
    t->used = 0;
    t->gen++; /* at most one reset per n: far from wrapping around */
}

static inline size_t slot_of(uint64_t key, int shift) {
    /* Fibonacci hashing: the top bits of the product depend on every bit. */
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> shift);
}

/* The entry of key, added (count 0, first = pos, not marked) when new. */
static inline Py_ssize_t table_get(Table *t, uint64_t key, Py_ssize_t pos) {
    size_t s = slot_of(key, t->shift);
    for (;;) {
        Slot *sl = &t->slots[s];
        if (sl->gen != t->gen) {
            Py_ssize_t e = t->used++;
            sl->gen = t->gen;
            sl->entry = (uint32_t)e;
            t->key[e] = key;
            t->count[e] = 0;
            t->first[e] = pos;
            t->mark[e] = 0;
            return e;
        }
        if (t->key[sl->entry] == key) return sl->entry;
        s = (s + 1) & t->mask;
    }
}

/* ---- the statistics ------------------------------------------------------- */

/* Characters of the most frequent n-gram (spaces included) times its count;
 * ties go to the first seen. hv: the m n-gram hashes, len: the word lengths. */
static void top_chars(Table *t, const uint64_t *hv, Py_ssize_t m, const int64_t *len,
                      Py_ssize_t n, int64_t *out) {
    uint64_t mask = m < ((Py_ssize_t)1 << POS_BITS) ? HASH_MASK : ~(uint64_t)0;
    Py_ssize_t best = 0, best_e = 0, i;
    int64_t chars = 0;
    if (m <= 0) {
        *out = 0;
        return;
    }
    table_reset(t, m);
    for (i = 0; i < m; i++) t->count[table_get(t, hv[i] & mask, i)]++;
    /* Entries are numbered in order of first occurrence: the first with the
     * largest count wins. */
    for (i = 0; i < t->used; i++) {
        if (t->count[i] > best) {
            best = t->count[i];
            best_e = i;
        }
    }
    for (i = 0; i < n; i++) chars += len[t->first[best_e] + i];
    *out = (chars + n - 1) * (int64_t)best;
}

/* DataTrove's find_all_duplicate for each n of ns (ascending, consecutive),
 * from the ns[0]-gram hashes hv (m of them, overwritten) and the words w. */
static int dup_chars(Table *t, uint64_t *hv, Py_ssize_t m, const uint64_t *w, const int64_t *len,
                     Py_ssize_t n_words, const Py_ssize_t *ns, Py_ssize_t k_ns, int64_t *out) {
    Py_ssize_t *pos = malloc((size_t)(m > 0 ? m : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *ent = malloc((size_t)(m > 0 ? m : 1) * sizeof(Py_ssize_t));
    Py_ssize_t active = m, i, k;
    int first_n = 1;
    if (!pos || !ent) {
        free(pos);
        free(ent);
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < m; i++) pos[i] = i;
    for (k = 0; k < k_ns; k++) {
        Py_ssize_t n = ns[k];
        Py_ssize_t n_grams = n_words - n + 1 > 0 ? n_words - n + 1 : 0;
        Py_ssize_t cand, kept, idx;
        uint64_t mask = n_grams < ((Py_ssize_t)1 << POS_BITS) ? HASH_MASK : ~(uint64_t)0;
        int64_t chars = 0;
        if (!first_n && active < 2) {
            for (; k < k_ns; k++) out[k] = 0;
            break;
        }
        /* The candidates: active positions that start an n-gram (a prefix). */
        cand = 0;
        while (cand < active && pos[cand] < n_grams) cand++;
        if (!first_n) {
            for (i = 0; i < cand; i++) hv[i] = hv[i] * M_MULT + w[pos[i] + n - 1];
        }
        first_n = 0;
        if (cand < 2) {
            out[k] = 0;
            active = 0;
            continue;
        }
        table_reset(t, cand);
        for (i = 0; i < cand; i++) {
            Py_ssize_t e = table_get(t, hv[i] & mask, pos[i]);
            t->count[e]++;
            ent[i] = e;
        }
        /* Keep the n-grams seen twice or more, in position order. */
        kept = 0;
        for (i = 0; i < cand; i++) {
            if (t->count[ent[i]] >= 2) {
                pos[kept] = pos[i];
                hv[kept] = hv[i];
                ent[kept] = ent[i];
                kept++;
            }
        }
        /* The greedy walk: a remembered n-gram is a repeat, and the walk jumps n words. */
        idx = 0;
        for (i = 0; i < kept; i++) {
            Py_ssize_t c = pos[i], j;
            if (c < idx) continue;
            if (t->mark[ent[i]]) {
                for (j = 0; j < n; j++) chars += len[c + j];
                idx = c + n;
            }
            else {
                t->mark[ent[i]] = 1;
            }
        }
        out[k] = chars;
        active = kept;
    }
    free(pos);
    free(ent);
    return 0;
}

/* ---- argument checks ------------------------------------------------------ */

static int get_buffer(PyObject *obj, Py_buffer *view, const char *name, char kind) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "%s must be a C-contiguous buffer", name);
        return -1;
    }
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    int ok = view->ndim == 1 && view->itemsize == 8 && f[1] == '\0' &&
             (kind == 'u' ? (*f == 'Q' || *f == 'L') : (*f == 'q' || *f == 'l'));
    if (!ok) {
        PyErr_Format(PyExc_ValueError, "%s must be a 1-d %s array", name,
                     kind == 'u' ? "uint64" : "int64");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* The n of a tuple of small positive ints; the count, or -1 (ValueError). */
static Py_ssize_t get_ns(PyObject *obj, const char *name, Py_ssize_t *ns) {
    Py_ssize_t k, i;
    if (!PyTuple_Check(obj)) {
        PyErr_Format(PyExc_ValueError, "%s must be a tuple of ints", name);
        return -1;
    }
    k = PyTuple_GET_SIZE(obj);
    if (k > MAX_NS) {
        PyErr_Format(PyExc_ValueError, "%s: at most %d sizes", name, MAX_NS);
        return -1;
    }
    for (i = 0; i < k; i++) {
        long v = PyLong_AsLong(PyTuple_GET_ITEM(obj, i));
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "%s must be a tuple of ints", name);
            return -1;
        }
        if (v < 1 || v > 1024) {
            PyErr_Format(PyExc_ValueError, "%s: sizes must be in 1..1024, got %ld", name, v);
            return -1;
        }
        ns[i] = (Py_ssize_t)v;
    }
    return k;
}

static PyObject *ints_tuple(const int64_t *v, Py_ssize_t k) {
    PyObject *t = PyTuple_New(k);
    Py_ssize_t i;
    if (!t) return NULL;
    for (i = 0; i < k; i++) {
        PyObject *x = PyLong_FromLongLong(v[i]);
        if (!x) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, x);
    }
    return t;
}

/* ---- repetition() --------------------------------------------------------- */

static PyObject *repetition(PyObject *self, PyObject *args) {
    PyObject *ids_o, *hash_o, *len_o, *top_o, *dup_o, *result = NULL;
    Py_buffer ids_b, hash_b, len_b;
    Py_ssize_t top_ns[MAX_NS], dup_ns[MAX_NS], k_top, k_dup, n_words, vocab, i, max_n;
    int64_t top_out[MAX_NS], dup_out[MAX_NS];
    uint64_t *w = NULL, *cur = NULL;
    int64_t *len = NULL;
    Table table = {0};
    (void)self;

    if (!PyArg_ParseTuple(args, "OOOOO:repetition", &ids_o, &hash_o, &len_o, &top_o, &dup_o))
        return NULL;
    if ((k_top = get_ns(top_o, "top_ns", top_ns)) < 0) return NULL;
    if ((k_dup = get_ns(dup_o, "dup_ns", dup_ns)) < 0) return NULL;
    for (i = 1; i < k_dup; i++) {
        if (dup_ns[i] != dup_ns[i - 1] + 1) {
            PyErr_SetString(PyExc_ValueError, "dup_ns must be ascending and consecutive");
            return NULL;
        }
    }
    if (get_buffer(ids_o, &ids_b, "ids", 'i') < 0) return NULL;
    if (get_buffer(hash_o, &hash_b, "vocab_hash", 'u') < 0) {
        PyBuffer_Release(&ids_b);
        return NULL;
    }
    if (get_buffer(len_o, &len_b, "vocab_length", 'i') < 0) {
        PyBuffer_Release(&ids_b);
        PyBuffer_Release(&hash_b);
        return NULL;
    }
    n_words = ids_b.shape[0];
    vocab = hash_b.shape[0];
    if (len_b.shape[0] < vocab) vocab = len_b.shape[0];

    w = malloc((size_t)(n_words > 0 ? n_words : 1) * sizeof(uint64_t));
    cur = malloc((size_t)(n_words > 0 ? n_words : 1) * sizeof(uint64_t));
    len = malloc((size_t)(n_words > 0 ? n_words : 1) * sizeof(int64_t));
    if (!w || !cur || !len) {
        PyErr_NoMemory();
        goto done;
    }
    if (table_init(&table, n_words) < 0) goto done;
    {
        const int64_t *ids = ids_b.buf;
        const uint64_t *vh = hash_b.buf;
        const int64_t *vl = len_b.buf;
        for (i = 0; i < n_words; i++) {
            int64_t id = ids[i];
            if (id < 0 || id >= vocab) {
                PyErr_Format(PyExc_ValueError, "ids[%zd] = %lld is outside the vocabulary (%zd)",
                             i, (long long)id, vocab);
                goto done;
            }
            w[i] = vh[id];
            len[i] = vl[id];
            cur[i] = w[i];
        }
    }
    max_n = k_dup ? dup_ns[0] : 1;
    for (i = 0; i < k_top; i++)
        if (top_ns[i] > max_n) max_n = top_ns[i];
    /* cur holds the n-gram hashes, n = 1, 2, ... (the first n_words - n + 1). */
    for (Py_ssize_t n = 1; n <= max_n; n++) {
        Py_ssize_t m = n_words - n + 1 > 0 ? n_words - n + 1 : 0, j;
        if (n > 1)
            for (j = 0; j < m; j++) cur[j] = cur[j] * M_MULT + w[j + n - 1];
        for (j = 0; j < k_top; j++)
            if (top_ns[j] == n) top_chars(&table, cur, m, len, n, &top_out[j]);
        if (k_dup && n == dup_ns[0]) {
            /* The walk overwrites its hashes: the last use of cur when n == max_n. */
            uint64_t *hv = cur;
            if (n < max_n) {
                hv = malloc((size_t)(m > 0 ? m : 1) * sizeof(uint64_t));
                if (!hv) {
                    PyErr_NoMemory();
                    goto done;
                }
                memcpy(hv, cur, (size_t)m * sizeof(uint64_t));
            }
            int rc = dup_chars(&table, hv, m, w, len, n_words, dup_ns, k_dup, dup_out);
            if (hv != cur) free(hv);
            if (rc < 0) goto done;
        }
    }
    {
        PyObject *a = ints_tuple(top_out, k_top), *b = NULL;
        if (a) b = ints_tuple(dup_out, k_dup);
        if (a && b) result = PyTuple_Pack(2, a, b);
        Py_XDECREF(a);
        Py_XDECREF(b);
    }
done:
    table_free(&table);
    free(w);
    free(cur);
    free(len);
    PyBuffer_Release(&ids_b);
    PyBuffer_Release(&hash_b);
    PyBuffer_Release(&len_b);
    return result;
}

static PyMethodDef methods[] = {
    {"repetition", repetition, METH_VARARGS,
     "repetition(ids, vocab_hash, vocab_length, top_ns, dup_ns) -> (top, dup)\n\n"
     "Characters of the most frequent n-gram times its count for each n of top_ns, and\n"
     "characters in greedily counted repeated n-grams for each n of dup_ns, of the\n"
     "document whose int64 word ids are ids (vocab_hash: uint64 and vocab_length: int64\n"
     "per id)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "thresher._ngrams",
    "Gopher repetition's n-gram counts in C (see thresher.steps.quality.ngrams).", 0, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ngrams(void) { return PyModule_Create(&module); }
