/* Per-line counts for zone segmentation's features, one page per call, and
 * the walk of its model's forest.
 *
 * The compiled twin of numpy passes in thresher/segment/features.py and
 * thresher/segment/forest.py; it gives the same numbers, bit for bit
 * (tests/steps/test_segment.py and test_segment_forest.py compare them):
 *
 *   line_stats(joined, classes, out) -> None
 *       joined: the page's non-blank lines joined by "\n"; classes: the
 *       features' code point -> character class table (65536 bytes; code
 *       points past it are SYMBOL); out: an int64 buffer of n_lines x
 *       STAT_COLS, filled with each line's class counts, words, capitalised
 *       words, first / last / second-to-last character class, last code
 *       point, the date-like, money-like and copyright-sign hits of
 *       base_features, and the number of plain spaces (U+0020).
 *
 *   keyword_tokens(lowered, word, filter) -> (bytes, folds)
 *       The \w+ tokens of ``lowered`` whose polynomial hash (base
 *       0x9E3779B97F4A7C15, mod 2^64, first character lowest) has low 16 bits
 *       marked in ``filter`` (65536 bytes): int64 rows of (start, end, line,
 *       next_start, next_end), the next token's span being -1 when it is not
 *       on the same line. word: 65536 bytes, per code point of the Basic
 *       Multilingual Plane: bit 0, whether \w matches it (str.isalnum() past
 *       it); bit 1, whether str.casefold() changes it. folds: whether some
 *       character has bit 1, or is past the plane.
 *
 *   line_repeats(lowered, out) -> None
 *       lowered: n lines joined by "\n"; out: an int64 buffer of n x 2,
 *       filled with how many lines equal each line and the index of the
 *       first of them (exact comparison; a hash table finds candidates).
 *
 *   forest_sum(x, n_cols, depth, nodes, leaves, tree_class, out) -> None
 *       Adds each tree's leaf value for each row of x (float32, rows of
 *       n_cols) into out (float64, rows of n_classes = len(out) / rows), at
 *       the tree's class: the raw scores of a gradient-boosted forest, trees
 *       taken in order. Every tree is complete, of the given depth: nodes
 *       holds 2^depth - 1 per tree, in breadth-first order (node k's children
 *       are 2k + 1 and 2k + 2), each two int32 (feature, the float32
 *       threshold's bits); a row goes left where x[feature] <= threshold.
 *       leaves: 2^depth float64 per tree, left to right; tree_class: int32
 *       per tree. The arrays are checked before any row is read.
 *
 * Strings are read in place (no encoding), whatever their kind.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Character classes: features.py's SPACE, LOWER, ... NEWLINE. */
enum { SPACE, LOWER, UPPER, DIGIT, TERM, PUNCT, QUOTE, SYMBOL, NEWLINE, N_CLASSES };

/* Columns of line_stats' rows (features.py's _STAT_* names). */
enum {
    C_WORDS = N_CLASSES,
    C_UPPER_WORDS,
    C_FIRST_CLS,
    C_LAST_CLS,
    C_LAST_CP,
    C_BEFORE_LAST_CLS,
    C_DATE,
    C_MONEY,
    C_COPYRIGHT,
    C_PLAIN_SPACES,
    STAT_COLS
};

#define TABLE_SIZE 0x10000
#define HASH_BASE 0x9E3779B97F4A7C15ULL

/* A C-contiguous buffer of at least min_bytes bytes; 0 on success, -1 (error set). */
static int get_buffer(PyObject *obj, Py_buffer *view, const char *name, Py_ssize_t min_bytes,
                      int writable) {
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    if (view->len < min_bytes) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes, need %zd", name, view->len, min_bytes);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* The number of "\n"-separated lines of a string (one more than its newlines). */
static Py_ssize_t count_lines(int kind, const void *data, Py_ssize_t size) {
    Py_ssize_t n = 1;
    for (Py_ssize_t i = 0; i < size; i++)
        if (PyUnicode_READ(kind, data, i) == '\n') n++;
    return n;
}

static PyObject *line_stats(PyObject *self, PyObject *args) {
    PyObject *text, *table_o, *out_o;
    Py_buffer table_b, out_b;
    if (!PyArg_ParseTuple(args, "UOO:line_stats", &text, &table_o, &out_o)) return NULL;
    if (get_buffer(table_o, &table_b, "classes", TABLE_SIZE, 0) < 0) return NULL;
    if (get_buffer(out_o, &out_b, "out", 0, 1) < 0) {
        PyBuffer_Release(&table_b);
        return NULL;
    }
    const uint8_t *table = table_b.buf;
    int64_t *out = out_b.buf;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    const Py_ssize_t n_lines = count_lines(kind, data, size);
    if (size == 0 || out_b.len < (Py_ssize_t)(n_lines * STAT_COLS * sizeof(int64_t))) {
        PyErr_Format(PyExc_ValueError, "out: %zd bytes, need %zd int64 rows of %d", out_b.len,
                     size ? n_lines : 0, (int)STAT_COLS);
        PyBuffer_Release(&table_b);
        PyBuffer_Release(&out_b);
        return NULL;
    }
    memset(out, 0, (size_t)n_lines * STAT_COLS * sizeof(int64_t));
#define CLS(cp) ((cp) < TABLE_SIZE ? table[(cp)] : SYMBOL)
    int64_t *row = out;
    Py_UCS4 prev_cp = 0; /* the previous character (none at the start) */
    int prev_nonspace = 0, prev_cls = -1;
    int at_line_start = 1;
    for (Py_ssize_t i = 0; i < size; i++) {
        const Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        const int cls = CLS(cp);
        row[cls]++;
        if (cp == ' ') row[C_PLAIN_SPACES]++;
        if (at_line_start) {
            row[C_FIRST_CLS] = cls;
            at_line_start = 0;
        }
        const int nonspace = cls != SPACE && cls != NEWLINE;
        if (nonspace && !prev_nonspace) {
            row[C_WORDS]++;
            if (cls == UPPER) row[C_UPPER_WORDS]++;
        }
        if (cls == DIGIT && i + 3 < size) {
            /* A digit, a separator, two digits (a time or a date). */
            const Py_UCS4 sep = PyUnicode_READ(kind, data, i + 1);
            if ((sep == ':' || sep == '/' || sep == '.' || sep == '-') &&
                CLS(PyUnicode_READ(kind, data, i + 2)) == DIGIT &&
                CLS(PyUnicode_READ(kind, data, i + 3)) == DIGIT)
                row[C_DATE]++;
        } else if (cls == SYMBOL) {
            if (cp == 0xA9) {
                row[C_COPYRIGHT]++;
            } else if ((cp == '$' || cp == 0x20AC || cp == 0xA3 || cp == 0xA5) && size >= 4 &&
                       i + 1 < size) {
                /* A currency sign before a digit, or before a space and a digit. */
                const Py_UCS4 next = PyUnicode_READ(kind, data, i + 1);
                if (CLS(next) == DIGIT ||
                    (next == ' ' && i + 2 < size &&
                     CLS(PyUnicode_READ(kind, data, i + 2)) == DIGIT))
                    row[C_MONEY]++;
            }
        }
        if (cls == NEWLINE || i + 1 == size) {
            /* The line's last character: the one before the newline. */
            const Py_ssize_t last = cls == NEWLINE ? i - 1 : i;
            const Py_UCS4 last_cp = cls == NEWLINE ? prev_cp : cp;
            row[C_LAST_CP] = last_cp;
            row[C_LAST_CLS] = cls == NEWLINE ? prev_cls : cls;
            row[C_BEFORE_LAST_CLS] = CLS(PyUnicode_READ(kind, data, last > 0 ? last - 1 : 0));
            if (cls == NEWLINE) {
                row += STAT_COLS;
                at_line_start = 1;
            }
        }
        prev_cp = cp;
        prev_cls = cls;
        prev_nonspace = nonspace;
    }
#undef CLS
    PyBuffer_Release(&table_b);
    PyBuffer_Release(&out_b);
    Py_RETURN_NONE;
}

static PyObject *keyword_tokens(PyObject *self, PyObject *args) {
    PyObject *text, *word_o, *filter_o;
    Py_buffer word_b, filter_b;
    if (!PyArg_ParseTuple(args, "UOO:keyword_tokens", &text, &word_o, &filter_o)) return NULL;
    if (get_buffer(word_o, &word_b, "word", TABLE_SIZE, 0) < 0) return NULL;
    if (get_buffer(filter_o, &filter_b, "filter", TABLE_SIZE, 0) < 0) {
        PyBuffer_Release(&word_b);
        return NULL;
    }
    const uint8_t *word = word_b.buf, *filter = filter_b.buf;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    Py_ssize_t cap = 64, used = 0; /* rows */
    int64_t *rows = PyMem_Malloc((size_t)cap * 5 * sizeof(int64_t));
    PyObject *result = NULL;
    if (rows == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t line = 0, pending = -1; /* the last row, while its next token is unknown */
    Py_ssize_t i = 0;
    int folds = 0;
    while (i < size) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        folds |= cp < TABLE_SIZE ? (word[cp] & 2) : 2;
        int is_word = cp < TABLE_SIZE ? (word[cp] & 1) : Py_UNICODE_ISALNUM(cp);
        if (!is_word) {
            if (cp == '\n') {
                line++;
                if (pending >= 0) pending = -1; /* its next token is on another line */
            }
            i++;
            continue;
        }
        const Py_ssize_t start = i;
        uint64_t h = 0, power = 1;
        while (1) {
            h += (uint64_t)cp * power;
            power *= HASH_BASE;
            if (++i == size) break;
            cp = PyUnicode_READ(kind, data, i);
            folds |= cp < TABLE_SIZE ? (word[cp] & 2) : 2;
            if (!(cp < TABLE_SIZE ? (word[cp] & 1) : Py_UNICODE_ISALNUM(cp))) break;
        }
        if (pending >= 0) {
            rows[pending * 5 + 3] = start;
            rows[pending * 5 + 4] = i;
            pending = -1;
        }
        if (filter[h & 0xFFFF]) {
            if (used == cap) {
                int64_t *grown = PyMem_Realloc(rows, (size_t)cap * 2 * 5 * sizeof(int64_t));
                if (grown == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                rows = grown;
                cap *= 2;
            }
            int64_t *r = rows + used * 5;
            r[0] = start;
            r[1] = i;
            r[2] = line;
            r[3] = r[4] = -1;
            pending = used++;
        }
    }
    PyObject *packed = PyBytes_FromStringAndSize((const char *)rows,
                                                 used * 5 * (Py_ssize_t)sizeof(int64_t));
    if (packed != NULL) result = Py_BuildValue("(NO)", packed, folds ? Py_True : Py_False);
done:
    PyMem_Free(rows);
    PyBuffer_Release(&word_b);
    PyBuffer_Release(&filter_b);
    return result;
}

/* FNV-1a over a line's code points. */
static uint64_t line_hash(int kind, const void *data, Py_ssize_t a, Py_ssize_t b) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (Py_ssize_t i = a; i < b; i++) {
        h ^= PyUnicode_READ(kind, data, i);
        h *= 0x100000001b3ULL;
    }
    return h;
}

static PyObject *line_repeats(PyObject *self, PyObject *args) {
    PyObject *text, *out_o;
    Py_buffer out_b;
    if (!PyArg_ParseTuple(args, "UO:line_repeats", &text, &out_o)) return NULL;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    const Py_ssize_t n = count_lines(kind, data, size);
    if (get_buffer(out_o, &out_b, "out", n * 2 * (Py_ssize_t)sizeof(int64_t), 1) < 0) return NULL;
    int64_t *out = out_b.buf;
    Py_ssize_t *start = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    uint64_t *hash = PyMem_Malloc((size_t)n * sizeof(uint64_t));
    size_t slots = 16;
    while (slots < (size_t)n * 2) slots <<= 1;
    Py_ssize_t *table = PyMem_Malloc(slots * sizeof(Py_ssize_t)); /* first line, or -1 */
    if (start == NULL || hash == NULL || table == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t j = 0; j < slots; j++) table[j] = -1;
    Py_ssize_t k = 0;
    start[0] = 0;
    for (Py_ssize_t i = 0; i < size; i++)
        if (PyUnicode_READ(kind, data, i) == '\n') start[++k] = i + 1;
    start[n] = size + 1; /* line i is [start[i], start[i + 1] - 1) */
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_ssize_t a = start[i], len = start[i + 1] - 1 - a;
        hash[i] = line_hash(kind, data, a, a + len);
        size_t j = (size_t)(hash[i] ^ (hash[i] >> 29)) & (slots - 1);
        while (1) {
            const Py_ssize_t f = table[j];
            if (f < 0) {
                table[j] = i;
                out[2 * i] = 1;
                out[2 * i + 1] = i;
                break;
            }
            const Py_ssize_t fa = start[f], flen = start[f + 1] - 1 - fa;
            if (hash[f] == hash[i] && flen == len &&
                memcmp((const char *)data + fa * kind, (const char *)data + a * kind,
                       (size_t)len * kind) == 0) {
                out[2 * f]++;
                out[2 * i + 1] = f;
                break;
            }
            j = (j + 1) & (slots - 1);
        }
    }
    /* Every line gets its first line's count. */
    for (Py_ssize_t i = 0; i < n; i++) out[2 * i] = out[2 * out[2 * i + 1]];
done:
    PyMem_Free(start);
    PyMem_Free(hash);
    PyMem_Free(table);
    PyBuffer_Release(&out_b);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

/* One node of forest_sum's trees, as the caller packs it (two int32 columns). */
typedef struct {
    int32_t feature;
    float threshold;
} Node;

/* Rows walked through one tree side by side: their walks are independent
 * chains of loads, so the processor overlaps them. */
#define WALK_ROWS 16
/* Rows taken through all trees before the next ones: they stay in cache. */
#define BLOCK_ROWS 128
#define MAX_DEPTH 16

static PyObject *forest_sum(PyObject *self, PyObject *args) {
    PyObject *objs[5];
    Py_ssize_t n_cols, depth;
    if (!PyArg_ParseTuple(args, "OnnOOOO:forest_sum", &objs[0], &n_cols, &depth, &objs[1],
                          &objs[2], &objs[3], &objs[4]))
        return NULL;
    static const char *names[5] = {"x", "nodes", "leaves", "tree_class", "out"};
    Py_buffer b[5];
    int got = 0;
    for (; got < 5; got++)
        if (get_buffer(objs[got], &b[got], names[got], 0, got == 4) < 0) goto fail;
    if (depth < 1 || depth > MAX_DEPTH) {
        PyErr_Format(PyExc_ValueError, "forest_sum: depth %zd is not 1 to %d", depth, MAX_DEPTH);
        goto fail;
    }
    const Py_ssize_t inner = ((Py_ssize_t)1 << depth) - 1, n_leaves = inner + 1;
    const Py_ssize_t n_trees = b[3].len / 4;
    if (n_cols <= 0 || b[0].len % (n_cols * 4) || b[3].len % 4 ||
        b[1].len != n_trees * inner * (Py_ssize_t)sizeof(Node) ||
        b[2].len != n_trees * n_leaves * 8) {
        PyErr_SetString(PyExc_ValueError, "forest_sum: array sizes disagree");
        goto fail;
    }
    const Py_ssize_t rows = b[0].len / (n_cols * 4);
    if (rows == 0) goto done;
    if (b[4].len % (rows * 8) || b[4].len == 0) {
        PyErr_SetString(PyExc_ValueError, "forest_sum: out is not rows x classes float64");
        goto fail;
    }
    const Py_ssize_t n_classes = b[4].len / (rows * 8);
    const float *x = b[0].buf;
    const Node *nodes = b[1].buf;
    const double *leaves = b[2].buf;
    const int32_t *cls = b[3].buf;
    double *out = b[4].buf;
    for (Py_ssize_t i = 0; i < n_trees * inner; i++) {
        if (nodes[i].feature < 0 || nodes[i].feature >= n_cols) {
            PyErr_Format(PyExc_ValueError, "forest_sum: node %zd reads no column", i);
            goto fail;
        }
    }
    for (Py_ssize_t t = 0; t < n_trees; t++) {
        if (cls[t] < 0 || cls[t] >= n_classes) {
            PyErr_Format(PyExc_ValueError, "forest_sum: tree %zd's class is out of range", t);
            goto fail;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
        const Py_ssize_t r1 = r0 + BLOCK_ROWS < rows ? r0 + BLOCK_ROWS : rows;
        for (Py_ssize_t t = 0; t < n_trees; t++) {
            const Node *tree = nodes + t * inner;
            const double *leaf = leaves + t * n_leaves;
            const Py_ssize_t c = cls[t];
            for (Py_ssize_t r = r0; r < r1; r += WALK_ROWS) {
                const int m = r1 - r < WALK_ROWS ? (int)(r1 - r) : WALK_ROWS;
                uint32_t at[WALK_ROWS];
                const float *row[WALK_ROWS];
                for (int j = 0; j < WALK_ROWS; j++) {
                    at[j] = 0;
                    row[j] = x + (r + (j < m ? j : 0)) * n_cols;
                }
                /* A complete tree: node k's children are 2k + 1 (left) and 2k + 2. */
                for (Py_ssize_t level = 0; level < depth; level++)
                    for (int j = 0; j < WALK_ROWS; j++) {
                        const Node n = tree[at[j]];
                        at[j] = 2 * at[j] + 1 + (row[j][n.feature] > n.threshold);
                    }
                for (int j = 0; j < m; j++) out[(r + j) * n_classes + c] += leaf[at[j] - inner];
            }
        }
    }
    Py_END_ALLOW_THREADS
done:
    for (int i = 0; i < got; i++) PyBuffer_Release(&b[i]);
    Py_RETURN_NONE;
fail:
    for (int i = 0; i < got; i++) PyBuffer_Release(&b[i]);
    return NULL;
}

static PyMethodDef methods[] = {
    {"line_stats", line_stats, METH_VARARGS,
     "line_stats(joined, classes, out): per-line counts of a page's joined lines."},
    {"keyword_tokens", keyword_tokens, METH_VARARGS,
     "keyword_tokens(lowered, word, filter) -> (bytes, folds): candidate keyword tokens."},
    {"line_repeats", line_repeats, METH_VARARGS,
     "line_repeats(lowered, out): per line, how many lines equal it and the first of them."},
    {"forest_sum", forest_sum, METH_VARARGS,
     "forest_sum(x, n_cols, depth, nodes, leaves, tree_class, out): "
     "add a forest's leaf values into out."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_segfeat",
    "Per-line counts and the forest walk for zone segmentation.", -1, methods,
};

PyMODINIT_FUNC PyInit__segfeat(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "STAT_COLS", STAT_COLS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
