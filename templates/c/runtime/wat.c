/* templates/c/runtime/wat.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ WAT text */

/* Keywords of the text format from before WebAssembly 1.0 settled their names,
   which the old embeddings' parser (wat 1.0) took and libwasmer 7's refuses. */
static const char *const wg_wat_renames[][2] = {
    {"anyfunc", "funcref"},
    {"get_local", "local.get"},
    {"set_local", "local.set"},
    {"tee_local", "local.tee"},
    {"get_global", "global.get"},
    {"set_global", "global.set"},
    {"current_memory", "memory.size"},
    {"grow_memory", "memory.grow"},
    {"atomic.notify", "memory.atomic.notify"},
    {"i32.atomic.wait", "memory.atomic.wait32"},
    {"i64.atomic.wait", "memory.atomic.wait64"},
};

static int wg_wat_idchar(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-./:<=>?@\\^_`|~", c));
}

static int wg_wat_numtype(const char *s) {
    return (s[0] == 'i' || s[0] == 'f') && ((s[1] == '3' && s[2] == '2') || (s[1] == '6' && s[2] == '4'));
}

/* An old conversion `T.op[_s|_u][:sat]/F` (i32.wrap/i64, i32.trunc_s:sat/f32) as
   today's `T.op[_sat]_F[_s|_u]` into `out` (room for n + 8); its length, or 0. */
static size_t wg_wat_conversion(const char *kw, size_t n, char *out) {
    const char *slash = memchr(kw, '/', n);
    if (n < 9 || !slash || kw + n - slash != 4 || !wg_wat_numtype(kw) || kw[3] != '.' || !wg_wat_numtype(slash + 1))
        return 0;
    const char *op = kw + 4, *end = slash;
    int sat = end - op > 4 && memcmp(end - 4, ":sat", 4) == 0;
    if (sat) end -= 4;
    char sign = 0;
    if (end - op > 2 && end[-2] == '_' && (end[-1] == 's' || end[-1] == 'u')) sign = end[-1], end -= 2;
    for (const char *p = op; p < end; p++)
        if (*p < 'a' || *p > 'z') return 0;
    if (end == op) return 0;
    int len = snprintf(out, n + 8, "%.3s.%.*s%s_%.3s%s", kw, (int)(end - op), op, sat ? "_sat" : "", slash + 1,
                       sign == 's' ? "_s" : sign == 'u' ? "_u" : "");
    return len > 0 ? (size_t)len : 0;
}

/* WAT text with the old keywords renamed (strings, comments and $identifiers are
   left alone); NULL when nothing was renamed or memory ran out. */
static char *wg_wat_modern(const uint8_t *text, size_t len, size_t *out_len) {
    char *out = NULL;
    size_t o = 0, i = 0, copied = 0; /* text[copied..i) is still to be copied */
    while (i < len) {
        size_t j = i + 1;
        if (text[i] == '"') {
            while (j < len && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
            j++;
        } else if (text[i] == ';' && j < len && text[j] == ';') {
            while (j < len && text[j] != '\n') j++;
        } else if (text[i] == '(' && j < len && text[j] == ';') {
            for (int depth = 1; j < len && depth; j++) {
                if (text[j] == '(' && j + 1 < len && text[j + 1] == ';') depth++, j++;
                else if (text[j] == ';' && j + 1 < len && text[j + 1] == ')') depth--, j++;
            }
        } else if (wg_wat_idchar(text[i])) {
            while (j < len && wg_wat_idchar(text[j])) j++;
            const char *kw = (const char *)text + i, *to = NULL;
            size_t n = j - i, m = 0;
            char conversion[64];
            for (size_t k = 0; k < sizeof wg_wat_renames / sizeof *wg_wat_renames && !to; k++)
                if (strlen(wg_wat_renames[k][0]) == n && memcmp(kw, wg_wat_renames[k][0], n) == 0)
                    to = wg_wat_renames[k][1], m = strlen(to);
            if (!to && n < sizeof conversion - 8 && (m = wg_wat_conversion(kw, n, conversion))) to = conversion;
            if (to) {
                if (!out && !(out = malloc(2 * len + 16))) return NULL; /* a keyword grows by 7 at most */
                memcpy(out + o, text + copied, i - copied);
                o += i - copied;
                memcpy(out + o, to, m);
                o += m;
                copied = j;
            }
        }
        i = j < len ? j : len;
    }
    if (!out) return NULL;
    memcpy(out + o, text + copied, len - copied);
    *out_len = o + len - copied;
    return out;
}

/* WAT text to a binary (binary->data NULL when the text does not parse), with the
   old keywords renamed first: one place for every language. */
static void wg_wat_parse(const uint8_t *text, size_t len, wasm_byte_vec_t *binary) {
    size_t n = 0;
    char *modern = wg_wat_modern(text, len, &n);
    wasm_byte_vec_t source = {modern ? n : len, (wasm_byte_t *)(modern ? modern : (const char *)text)};
    binary->data = NULL;
    binary->size = 0;
    wat2wasm(&source, binary);
    free(modern);
}
