/* templates/c/runtime/errors.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ errors */

static _Thread_local char *wg_err_msg;
static _Thread_local char *wg_host_msg;
static _Thread_local int wg_host_failed;
static _Thread_local uint32_t wg_exit_status; /* the code of the last ExitError (exit_code) */

/* "WASI exited with code: ExitCode::7" (libwasmer's trap of proc_exit): 1 and the code. */
static int wg_exit_trap(const char *msg, int len, uint32_t *code) {
    static const char prefix[] = "WASI exited with code: ";
    int n = (int)sizeof prefix - 1;
    if (len < n || memcmp(msg, prefix, (size_t)n) != 0) return 0;
    uint64_t value = 0;
    int digits = 0;
    for (int i = n; i < len; i++) {
        if (msg[i] >= '0' && msg[i] <= '9') value = value * 10 + (uint64_t)(msg[i] - '0'), digits++;
        else if (digits) break;
    }
    if (!digits || value > UINT32_MAX) return 0;
    *code = (uint32_t)value;
    return 1;
}

/* A thread's messages are freed when it exits (a pthread key's destructor). */
static pthread_key_t wg_tls_key;
static pthread_once_t wg_tls_once = PTHREAD_ONCE_INIT;

static void wg_tls_free(void *unused) {
    (void)unused;
    free(wg_err_msg);
    wg_err_msg = NULL;
    free(wg_host_msg);
    wg_host_msg = NULL;
}

static void wg_tls_init(void) { pthread_key_create(&wg_tls_key, wg_tls_free); }

static void wg_tls_register(void) {
    static _Thread_local int registered;
    if (registered) return;
    registered = 1;
    pthread_once(&wg_tls_once, wg_tls_init);
    pthread_setspecific(wg_tls_key, &registered);
}

static int wg_fail(int code, const char *fmt, ...) {
    wg_tls_register();
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = malloc((size_t)n + 1);
    if (msg) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    free(wg_err_msg);
    wg_err_msg = msg;
    return code;
}

/* Fails with `what` followed by libwasmer's own last error message. */
static int wg_fail_wasmer(int code, const char *what) {
    int len = wasmer_last_error_length();
    if (len <= 0) return wg_fail(code, "%s", what);
    char *buf = malloc((size_t)len + 1);
    if (!buf) return wg_fail(code, "%s", what);
    wasmer_last_error_message(buf, len);
    buf[len] = 0;
    int rc = wg_fail(code, "%s: %s", what, buf);
    free(buf);
    return rc;
}

/* Consumes a trap: its message becomes the error. A trap raised because a host
   function failed is reported as WG_ERR_HOST_ERROR so the language can re-raise
   its own exception. */
static int wg_fail_trap(wasm_trap_t *trap) {
    wasm_message_t msg;
    wasm_trap_message(trap, &msg);
    int len = (int)msg.size;
    while (len > 0 && msg.data[len - 1] == 0) len--;
    int code = wg_host_failed ? WG_ERR_HOST_ERROR : WG_ERR_TRAP;
    wg_host_failed = 0;
    if (code == WG_ERR_TRAP && msg.data && wg_exit_trap(msg.data, len, &wg_exit_status)) {
        code = WG_ERR_EXIT_ERROR;
        wg_fail(code, "the WASI program exited with code %u", wg_exit_status);
    } else
        wg_fail(code, "%.*s", len, msg.data ? msg.data : "");
    wasm_byte_vec_delete(&msg);
    wasm_trap_delete(trap);
    return code;
}

const char *wg_error_message(void) { return wg_err_msg ? wg_err_msg : ""; }

const char *wg_spec_hash(void) { return WG_SPEC_HASH; }

void wg_bytes_free(wg_bytes *bytes) {
    if (!bytes) return;
    free(bytes->data);
    bytes->data = NULL;
    bytes->len = 0;
}

static int wg_out_bytes(wg_bytes *out, const void *data, size_t len) {
    out->data = malloc(len ? len : 1);
    if (!out->data) return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    if (len) memcpy(out->data, data, len);
    out->len = len;
    return WG_OK;
}

static char *wg_strndup(const char *s, size_t len) {
    char *r = malloc(len + 1);
    if (r) {
        memcpy(r, s, len);
        r[len] = 0;
    }
    return r;
}

#define WG_NOT_NULL(p, what) \
    do { if (!(p)) return wg_fail(WG_ERR_ARGUMENT_ERROR, "%s must not be null", what); } while (0)
