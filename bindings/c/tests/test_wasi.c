/* WASI through the shared glue, with real programs compiled from conformance/wasi/ (C sources)
   to wasm32-wasi (the directory of their .wasm is argv[1]): arguments and
   environment, captured stdout/stderr and the exit code, stdin, files in
   preopened/mapped directories, and the sandbox (nothing of the host is given
   unless asked for). Prints "N passed, M failed"; exits non-zero on a failure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static const char *wasm_dir;
static wg_engine *engine;

#define S(x) (x), strlen(x)

static wg_module *load(wg_store *store, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.wasm", wasm_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    wg_module *m = NULL;
    if (wg_module_new(store, buf, n, &m) != WG_OK) {
        fprintf(stderr, "cannot compile %s: %s\n", path, wg_error_message());
        exit(2);
    }
    return m;
}

struct run {
    int rc;            /* of calling _start */
    uint32_t exit;     /* exit_code() after an ExitError */
    char out[4096], err[4096];
};

static void take(wg_wasi_env *env, int which, char *into, size_t cap) {
    wg_bytes b = {0};
    int rc = which == 1 ? wg_wasi_env_read_stdout(env, &b) : wg_wasi_env_read_stderr(env, &b);
    size_t n = rc == WG_OK ? (b.len < cap - 1 ? b.len : cap - 1) : 0;
    if (n) memcpy(into, b.data, n);
    into[n] = 0;
    wg_bytes_free(&b);
}

/* Runs a program with a configuration made by the caller (consumed). */
static struct run run(const char *program, wg_wasi_config *config) {
    struct run r = {0};
    wg_store *store = NULL;
    wg_store_new(engine, &store);
    wg_module *module = load(store, program);
    uint32_t version = 0;
    CHECK(wg_module_wasi_version(module, true, &version) == WG_OK && version == 2, "%s: WASI version %u", program, version);
    wg_wasi_env *env = NULL;
    wg_imports *imports = NULL;
    wg_instance *instance = NULL;
    r.rc = wg_wasi_env_new(store, config, &env);
    if (r.rc == WG_OK) wg_imports_new(&imports), r.rc = wg_wasi_env_define_imports(env, module, imports);
    if (r.rc == WG_OK) r.rc = wg_instance_new(store, module, imports, false, &instance);
    if (r.rc == WG_OK) {
        uint32_t n = 0;
        wg_instance_export_count(instance, &n);
        wg_extern *start = NULL;
        for (uint32_t i = 0; i < n && !start; i++) {
            wg_bytes name = {0};
            wg_instance_export_name(instance, i, &name);
            if (name.len == 6 && memcmp(name.data, "_start", 6) == 0) wg_instance_export(instance, i, &start);
            wg_bytes_free(&name);
        }
        r.rc = start ? wg_function_call(start, NULL, NULL) : -1;
        if (r.rc == WG_ERR_EXIT_ERROR) wg_exit_code(&r.exit);
        wg_extern_delete(start);
        take(env, 1, r.out, sizeof r.out);
        take(env, 2, r.err, sizeof r.err);
    }
    wg_instance_delete(instance);
    wg_imports_delete(imports);
    wg_wasi_env_delete(env);
    wg_module_delete(module);
    wg_store_delete(store);
    wg_wasi_config_delete(config);
    return r;
}

static wg_wasi_config *config(const char *program) {
    wg_wasi_config *c = NULL;
    wg_wasi_config_new(S(program), &c);
    return c;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_wasi DIR (the .wasm of conformance/wasi)\n");
        return 2;
    }
    wasm_dir = argv[1];
    if (wg_engine_new(WG_COMPILER_CRANELIFT, &engine) != WG_OK) return 2;

    /* arguments and environment arrive; nothing of the host's environment does */
    setenv("WASMGEN_HOST_SECRET", "leak", 1);
    wg_wasi_config *c = config("echo");
    wg_wasi_config_argument(c, S("a b"));
    wg_wasi_config_argument(c, S("c"));
    wg_wasi_config_environment(c, S("FOO"), S("bar=baz"));
    wg_wasi_config_capture_stdout(c);
    struct run r = run("echo", c);
    CHECK(r.rc == WG_OK, "echo ran: rc %d", r.rc);
    CHECK(strcmp(r.out, "arg 0: echo\narg 1: a b\narg 2: c\nenv: FOO=bar=baz\n") == 0, "echo's stdout: [%s]", r.out);

    /* stdout and stderr captured apart; exit(n) is an ExitError carrying n, 0 included */
    const char *codes[] = {"7", "0", "255"};
    for (int i = 0; i < 3; i++) {
        c = config("streams");
        wg_wasi_config_argument(c, S("to stdout"));
        wg_wasi_config_argument(c, S("to stderr"));
        wg_wasi_config_argument(c, S(codes[i]));
        wg_wasi_config_capture_stdout(c);
        wg_wasi_config_capture_stderr(c);
        r = run("streams", c);
        CHECK(r.rc == WG_ERR_EXIT_ERROR && r.exit == (uint32_t)atoi(codes[i]), "exit(%s): rc %d, exit code %u", codes[i], r.rc, r.exit);
        CHECK(strcmp(r.out, "to stdout") == 0 && strcmp(r.err, "to stderr") == 0, "streams: [%s] [%s]", r.out, r.err);
    }
    /* not captured, not inherited: discarded (and not readable) */
    c = config("streams");
    wg_wasi_config_argument(c, S("x"));
    wg_wasi_config_argument(c, S("y"));
    wg_wasi_config_argument(c, S("3"));
    r = run("streams", c);
    CHECK(r.rc == WG_ERR_EXIT_ERROR && r.exit == 3 && !r.out[0] && !r.err[0], "discarded: rc %d [%s] [%s]", r.rc, r.out, r.err);

    /* stdin: the configured bytes; none given: empty, not the host's */
    c = config("cat");
    wg_wasi_config_stdin(c, (const uint8_t *)"line one\nline two\n", 18);
    wg_wasi_config_capture_stdout(c);
    r = run("cat", c);
    CHECK(r.rc == WG_OK && strcmp(r.out, "line one\nline two\n") == 0, "cat with stdin: rc %d [%s]", r.rc, r.out);
    c = config("cat");
    wg_wasi_config_capture_stdout(c);
    r = run("cat", c);
    CHECK(r.rc == WG_OK && !r.out[0], "cat without stdin: rc %d [%s]", r.rc, r.out);

    /* files: copy between two mapped directories */
    char root[] = "/tmp/wasmgen-wasi-XXXXXX";
    CHECK(mkdtemp(root) != NULL, "mkdtemp");
    char in[512], outd[512], path[600], buf[256];
    snprintf(in, sizeof in, "%s/in", root);
    snprintf(outd, sizeof outd, "%s/out", root);
    mkdir(in, 0755);
    mkdir(outd, 0755);
    snprintf(path, sizeof path, "%s/a.txt", in);
    write_file(path, "contents of a\n");
    snprintf(path, sizeof path, "%s/secret.txt", root);
    write_file(path, "outside\n");
    snprintf(path, sizeof path, "%s/escape", in);
    CHECK(symlink("../secret.txt", path) == 0, "symlink");

    const char *tries[][3] = {
        /* from, to, expected: "ok" or "refused" */
        {"/in/a.txt", "/out/b.txt", "ok"},
        {"/in/../secret.txt", "/out/c.txt", "refused"},
        {"/in/escape", "/out/d.txt", "refused"},
        {"/etc/passwd", "/out/e.txt", "refused"},
        {"/in/a.txt", "/elsewhere.txt", "refused"},
    };
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        c = config("copy");
        wg_wasi_config_map_directory(c, S("/in"), S(in));
        wg_wasi_config_map_directory(c, S("/out"), S(outd));
        wg_wasi_config_argument(c, S(tries[i][0]));
        wg_wasi_config_argument(c, S(tries[i][1]));
        wg_wasi_config_capture_stdout(c);
        wg_wasi_config_capture_stderr(c);
        r = run("copy", c);
        int ok = r.rc == WG_OK;
        CHECK(ok == (strcmp(tries[i][2], "ok") == 0), "copy %s %s: expected %s, rc %d exit %u, stderr [%s]",
              tries[i][0], tries[i][1], tries[i][2], r.rc, r.exit, r.err);
        if (!ok) CHECK(r.rc == WG_ERR_EXIT_ERROR && r.exit == 1 && strstr(r.err, "cannot"), "refusal said why: [%s]", r.err);
    }
    snprintf(path, sizeof path, "%s/b.txt", outd);
    CHECK(read_file(path, buf, sizeof buf) && strcmp(buf, "contents of a\n") == 0, "copied file");
    snprintf(path, sizeof path, "%s/c.txt", outd);
    CHECK(access(path, F_OK) != 0, "nothing written for a refused copy");

    /* a preopened directory keeps its host path */
    c = config("copy");
    wg_wasi_config_preopen_directory(c, S(in));
    snprintf(path, sizeof path, "%s/a.txt", in);
    wg_wasi_config_argument(c, S(path));
    snprintf(buf, sizeof buf, "%s/f.txt", in);
    wg_wasi_config_argument(c, S(buf));
    r = run("copy", c);
    CHECK(r.rc == WG_OK, "copy within a preopened directory: rc %d exit %u", r.rc, r.exit);

    /* read-only directories: reading works; creating, writing, renaming, linking,
       deleting or touching anything in them fails with EROFS, through every path to
       them (the mapped alias, the virtual root, a descriptor opened from them, a
       rename or link from a writable directory); the writable one next to them works */
    char ro[512], rw[512];
    snprintf(ro, sizeof ro, "%s/ro", root);
    snprintf(rw, sizeof rw, "%s/rw", root);
    mkdir(ro, 0755);
    mkdir(rw, 0755);
    mkdir(strcat(strcpy(path, ro), "/sub"), 0755);
    write_file(strcat(strcpy(path, ro), "/x.txt"), "kept\n");
    write_file(strcat(strcpy(path, rw), "/y.txt"), "mine\n");
    c = config("mutate");
    wg_wasi_config_map_directory_read_only(c, S("/ro"), S(ro));
    wg_wasi_config_map_directory(c, S("/rw"), S(rw));
    wg_wasi_config_preopen_directory_read_only(c, S(in));
    const char *ops[] = {"dirs", "read", "/ro/x.txt", "read", "/ro/sub/../x.txt", "write", "/ro/new.txt",
                         "write", "/ro/x.txt", "append", "/ro/x.txt", "write", "/ro/sub/new.txt", "mkdir", "/ro/d",
                         "rmdir", "/ro/sub", "rm", "/ro/x.txt", "rename", "/ro/x.txt", "/rw/x.txt", "rename",
                         "/rw/y.txt", "/ro/y.txt", "link", "/ro/x.txt", "/rw/l.txt", "symlink", "x.txt", "/ro/s",
                         "touch", "/ro/x.txt", "truncate", "/ro/x.txt", "root", "ro/new.txt", "root", "/ro/../ro/n.txt",
                         "write", "/rw/new.txt", "root", "rw/root.txt"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) wg_wasi_config_argument(c, S(ops[i]));
    char in_a[600], in_b[600];
    snprintf(in_a, sizeof in_a, "%s/a.txt", in);
    snprintf(in_b, sizeof in_b, "%s/b.txt", in);
    const char *preopened[] = {"read", in_a, "write", in_b}; /* the read-only preopened directory, by its path */
    for (size_t i = 0; i < 4; i++) wg_wasi_config_argument(c, S(preopened[i]));
    wg_wasi_config_capture_stdout(c);
    r = run("mutate", c);
    char expected[8192];
    snprintf(expected, sizeof expected,
             "3 /\n4 %s\n5 ro\n6 rw\n" /* libwasmer's numbering, which the glue's read-only checks rely on */
             "read /ro/x.txt: ok\nread /ro/sub/../x.txt: ok\nwrite /ro/new.txt: Read-only file system\n"
             "write /ro/x.txt: Read-only file system\nappend /ro/x.txt: Read-only file system\n"
             "write /ro/sub/new.txt: Read-only file system\nmkdir /ro/d: Read-only file system\n"
             "rmdir /ro/sub: Read-only file system\nrm /ro/x.txt: Read-only file system\n"
             "rename /ro/x.txt: Read-only file system\nrename /rw/y.txt: Read-only file system\n"
             "link /ro/x.txt: Read-only file system\nsymlink /ro/s: Read-only file system\n"
             "touch /ro/x.txt: Read-only file system\ntruncate /ro/x.txt: Read-only file system\n"
             "root ro/new.txt: Read-only file system\nroot /ro/../ro/n.txt: Read-only file system\n"
             "write /rw/new.txt: ok\nroot rw/root.txt: ok\nread %s: ok\nwrite %s: Read-only file system\n", in, in_a, in_b);
    CHECK(r.rc == WG_OK && strcmp(r.out, expected) == 0, "read-only directories: rc %d\n[%s]\nexpected\n[%s]", r.rc, r.out, expected);
    CHECK(read_file(strcat(strcpy(path, ro), "/x.txt"), buf, sizeof buf) && strcmp(buf, "kept\n") == 0, "read-only file unchanged: [%s]", buf);
    CHECK(access(strcat(strcpy(path, ro), "/new.txt"), F_OK) != 0 && access(strcat(strcpy(path, ro), "/d"), F_OK) != 0 &&
          access(strcat(strcpy(path, ro), "/sub"), F_OK) == 0 && access(strcat(strcpy(path, rw), "/y.txt"), F_OK) == 0,
          "nothing created, moved or deleted in the read-only directory");
    CHECK(read_file(strcat(strcpy(path, rw), "/new.txt"), buf, sizeof buf) && strcmp(buf, "written\n") == 0, "writable directory written");
    /* a symlink in the writable directory leading into the read-only one is refused (by libwasmer's sandbox) */
    CHECK(symlink("../ro", strcat(strcpy(path, rw), "/into-ro")) == 0, "symlink into-ro");
    c = config("mutate");
    wg_wasi_config_map_directory_read_only(c, S("/ro"), S(ro));
    wg_wasi_config_map_directory(c, S("/rw"), S(rw));
    const char *through[] = {"write", "/rw/into-ro/z.txt", "root", "rw/into-ro/z.txt"};
    for (size_t i = 0; i < 4; i++) wg_wasi_config_argument(c, S(through[i]));
    wg_wasi_config_capture_stdout(c);
    r = run("mutate", c);
    CHECK(r.rc == WG_OK && strncmp(r.out, "write /rw/into-ro/z.txt: ", 25) == 0 && !strstr(r.out, ": ok") &&
          access(strcat(strcpy(path, ro), "/z.txt"), F_OK) != 0, "through a symlink: rc %d [%s]", r.rc, r.out);

    /* a directory that does not exist is a clear ArgumentError */
    c = config("echo");
    wg_wasi_config_preopen_directory(c, S("/no/such/dir"));
    r = run("echo", c);
    CHECK(r.rc == WG_ERR_ARGUMENT_ERROR, "missing directory: rc %d", r.rc);

    /* an environment never run by an instance is freed without libwasmer (which
       aborts on it): made and dropped; imports made, then the instantiation fails */
    wg_store *store = NULL;
    wg_store_new(engine, &store);
    wg_wasi_env *env = NULL;
    c = config("unused");
    CHECK(wg_wasi_env_new(store, c, &env) == WG_OK, "env");
    wg_wasi_env_delete(env);
    static const char BROKEN[] = "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func (param i32)))"
                                 " (import \"env\" \"missing\" (func)) (memory (export \"memory\") 1))";
    wg_module *broken = NULL;
    CHECK(wg_module_new(store, (const uint8_t *)BROKEN, strlen(BROKEN), &broken) == WG_OK, "broken module");
    wg_imports *imports = NULL;
    wg_imports_new(&imports);
    CHECK(wg_wasi_env_new(store, c, &env) == WG_OK && wg_wasi_env_define_imports(env, broken, imports) == WG_OK,
          "imports of the broken module");
    wg_instance *instance = NULL;
    CHECK(wg_instance_new(store, broken, imports, false, &instance) == WG_ERR_LINK_ERROR, "missing env.missing");
    wg_imports_delete(imports);
    wg_wasi_env_delete(env);
    wg_module_delete(broken);
    wg_store_delete(store);
    wg_wasi_config_delete(c);
    CHECK(1, "still running");

    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", root);
    wg_engine_delete(engine);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
