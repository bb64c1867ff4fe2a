package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WASI with real programs: conformance/wasi/*.c compiled to wasm32-wasi into the directory
 * of the system property wasmgen.wasi.dir (ci/langs/java.py builds them before Maven runs);
 * the same cases and outputs as bindings/c/tests/test_wasi.c.
 */
class WasiTest {
    private static Path programs;
    private static Path root;
    private static Path in;
    private static Path out;

    /** What running a program gave: its captured streams and exit code (null: returned normally). */
    private record Run(String stdout, String stderr, Integer exitCode, ExitException exit) {}

    @BeforeAll
    static void setUp() throws IOException {
        String dir = System.getProperty("wasmgen.wasi.dir");
        assertNotNull(dir, "system property wasmgen.wasi.dir (build/wasi) is not set");
        programs = Paths.get(dir);
        for (String name : new String[]{"echo", "streams", "cat", "copy"}) {
            assertTrue(Files.isRegularFile(programs.resolve(name + ".wasm")),
                    programs.resolve(name + ".wasm") + " missing: run `nox -s test-java` (it compiles conformance/wasi)");
        }
        root = Files.createTempDirectory("wasmgen-wasi-java-");
        in = Files.createDirectory(root.resolve("in"));
        out = Files.createDirectory(root.resolve("out"));
        Files.writeString(in.resolve("a.txt"), "contents of a\n");
        Files.writeString(root.resolve("secret.txt"), "outside\n");
        Files.createSymbolicLink(in.resolve("escape"), Paths.get("../secret.txt"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] wasm(String program) throws IOException {
        return Files.readAllBytes(programs.resolve(program + ".wasm"));
    }

    /** Runs a program's _start with a configuration made by `configure`. */
    private static Run run(String program, Consumer<WasiConfig> configure) throws IOException {
        try (Store store = new Store();
             Module module = new Module(store, wasm(program));
             WasiConfig config = new WasiConfig(program)) {
            assertEquals(2, module.wasiVersion(true), program + ": wasi_snapshot_preview1");
            configure.accept(config);
            try (WasiEnv wasi = new WasiEnv(store, config);
                 Instance instance = new Instance(store, module, wasi.imports(module))) {
                ExitException exit = null;
                try {
                    instance.exports.getFunction("_start").apply();
                } catch (ExitException e) {
                    exit = e;
                }
                return new Run(new String(wasi.readStdout(), StandardCharsets.UTF_8),
                        new String(wasi.readStderr(), StandardCharsets.UTF_8),
                        exit == null ? null : exit.getExitCode(), exit);
            }
        }
    }

    @Test
    void argumentsAndEnvironment() throws IOException {
        Run r = run("echo", c -> c.argument("a b").argument("c").environment("FOO", "bar=baz").captureStdout());
        assertEquals(null, r.exitCode());
        // nothing of the host's environment (PATH, HOME, ...) arrives
        assertEquals("arg 0: echo\narg 1: a b\narg 2: c\nenv: FOO=bar=baz\n", r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void streamsAndExitCodes() throws IOException {
        for (int code : new int[]{7, 0, 255}) {
            Run r = run("streams", c -> c.argument("to stdout").argument("to stderr").argument(Integer.toString(code))
                    .captureStdout().captureStderr());
            assertEquals(code, r.exitCode(), "exit(" + code + ") is an ExitException carrying it, 0 included");
            assertTrue(r.exit() instanceof WasmerException);
            assertEquals("to stdout", r.stdout());
            assertEquals("to stderr", r.stderr());
            assertEquals(code, Wasmer.exitCode(), "exit_code() on the same thread");
        }
    }

    @Test
    void notCapturedIsDiscarded() throws IOException {
        Run r = run("streams", c -> c.argument("x").argument("y").argument("3"));
        assertEquals(3, r.exitCode());
        assertEquals("", r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void stdin() throws IOException {
        Run r = run("cat", c -> c.stdin("line one\nline two\n".getBytes(StandardCharsets.UTF_8)).captureStdout());
        assertEquals(null, r.exitCode());
        assertEquals("line one\nline two\n", r.stdout());
        // none given: empty, not the host's
        r = run("cat", c -> c.captureStdout());
        assertEquals(null, r.exitCode());
        assertEquals("", r.stdout());
        // binary data arrives as given
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        try (Store store = new Store(); Module module = new Module(store, wasm("cat"));
             WasiConfig config = new WasiConfig("cat").stdin(bytes).captureStdout();
             WasiEnv wasi = new WasiEnv(store, config);
             Instance instance = new Instance(module, wasi.imports(module))) {
            assertTrue(instance.store() == store, "an instance of WASI imports runs in the environment's store");
            instance.exports.getFunction("_start").apply();
            assertArrayEquals(bytes, wasi.readStdout());
            assertArrayEquals(new byte[0], wasi.readStdout(), "read_stdout takes what was written");
        }
    }

    private static Run copy(String from, String to) throws IOException {
        return run("copy", c -> c.mapDirectory("/in", in.toString()).mapDirectory("/out", out.toString())
                .argument(from).argument(to).captureStdout().captureStderr());
    }

    private static void refused(String from, String to) throws IOException {
        Run r = copy(from, to);
        assertEquals(1, r.exitCode(), "copy " + from + " " + to + " is refused: " + r.stderr());
        assertTrue(r.stderr().startsWith("cannot "), r.stderr());
    }

    @Test
    void filesInMappedDirectories() throws IOException {
        Run r = copy("/in/a.txt", "/out/b.txt");
        assertEquals(null, r.exitCode(), r.stderr());
        assertEquals("copied /in/a.txt to /out/b.txt\n", r.stdout());
        assertEquals("contents of a\n", Files.readString(out.resolve("b.txt")));
    }

    @Test
    void sandbox() throws IOException {
        refused("/in/../secret.txt", "/out/c.txt"); // `..` out of a mapped directory
        assertFalse(Files.exists(out.resolve("c.txt")), "nothing written for a refused copy");
        refused("/in/escape", "/out/d.txt"); // a symlink out of it
        refused("/etc/passwd", "/out/e.txt"); // an absolute path of the host
        refused("/in/a.txt", "/elsewhere.txt"); // a path outside every given directory
        refused(root.resolve("secret.txt").toString(), "/out/f.txt"); // the host path of a file not given
    }

    @Test
    void readOnlyDirectories() throws IOException {
        Run r = run("copy", c -> c.mapDirectoryReadOnly("/in", in.toString()).mapDirectory("/out", out.toString())
                .argument("/in/a.txt").argument("/out/ro.txt").captureStderr());
        assertEquals(null, r.exitCode(), r.stderr());
        assertEquals("contents of a\n", Files.readString(out.resolve("ro.txt")));
        for (String to : new String[]{"/ro/new.txt", "/ro/a.txt"}) {
            Run refused = run("copy", c -> c.mapDirectory("/in", in.toString()).mapDirectoryReadOnly("/ro", in.toString())
                    .argument("/in/a.txt").argument(to).captureStderr());
            assertEquals(1, refused.exitCode());
            assertEquals("cannot create " + to + ": Read-only file system\n", refused.stderr());
        }
        Path to = in.resolve("h.txt");
        Run preopened = run("copy", c -> c.preopenDirectoryReadOnly(in.toString()).argument(in.resolve("a.txt").toString())
                .argument(to.toString()).captureStderr());
        assertEquals(1, preopened.exitCode());
        assertEquals("cannot create " + to + ": Read-only file system\n", preopened.stderr());
        assertFalse(Files.exists(to) || Files.exists(in.resolve("new.txt")), "nothing created in a read-only directory");
        assertEquals("contents of a\n", Files.readString(in.resolve("a.txt")));
    }

    @Test
    void preopenedDirectoryKeepsItsHostPath() throws IOException {
        Path from = in.resolve("a.txt");
        Path to = in.resolve("f.txt");
        Run r = run("copy", c -> c.preopenDirectory(in.toString()).argument(from.toString()).argument(to.toString()));
        assertEquals(null, r.exitCode());
        assertEquals("", r.stdout(), "not captured: discarded");
        assertEquals("contents of a\n", Files.readString(to));
        Run outside = run("copy", c -> c.preopenDirectory(in.toString()).argument(in + "/../secret.txt")
                .argument(to.toString()).captureStderr());
        assertEquals(1, outside.exitCode(), outside.stderr());
    }

    @Test
    void missingDirectory() {
        try (Store store = new Store(); WasiConfig config = new WasiConfig("echo").preopenDirectory("/no/such/dir")) {
            ArgumentException e = assertThrows(ArgumentException.class, () -> new WasiEnv(store, config));
            assertTrue(e.getMessage().contains("/no/such/dir"), e.getMessage());
        }
    }

    @Test
    void versions() throws IOException {
        try (Module module = new Module(wasm("echo")); Module plain = new Module(Wat.tests())) {
            assertEquals(2, module.wasiVersion(false));
            assertEquals(0, plain.wasiVersion(false));
            assertEquals(0, plain.wasiVersion(true));
        }
        Module unstable = new Module(("(module (import \"wasi_unstable\" \"proc_exit\" (func (param i32)))"
                + " (import \"env\" \"f\" (func)))").getBytes(StandardCharsets.UTF_8));
        assertEquals(1, unstable.wasiVersion(false));
        assertEquals(0, unstable.wasiVersion(true), "strict: it imports something else too");
    }

    @Test
    void oneInstancePerEnvironmentAndStore() throws IOException {
        try (Store store = new Store(); Store other = new Store(); Module module = new Module(store, wasm("echo"));
             WasiConfig config = new WasiConfig("echo"); WasiEnv wasi = new WasiEnv(store, config)) {
            Imports imports = wasi.imports(module);
            assertThrows(LinkException.class, () -> new Instance(other, module, imports));
            try (Instance first = new Instance(store, module, imports)) {
                LinkException e = assertThrows(LinkException.class, () -> new Instance(store, module, imports));
                assertTrue(e.getMessage().contains("one per instance"), e.getMessage());
            }
        }
    }

    /** Runs WasiInheritMain in a child JVM: the program's streams are the child's own. */
    private static String[] child(String stdin, String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WasiInheritMain.class.getName()));
        cmd.addAll(java.util.List.of(args));
        Path stdout = root.resolve("child.out");
        Path stderr = root.resolve("child.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        int status = p.waitFor();
        return new String[]{Integer.toString(status), Files.readString(stdout), Files.readString(stderr)};
    }

    @Test
    void inheritedOnlyWhenAsked() throws IOException, InterruptedException {
        String[] r = child("", programs.resolve("streams.wasm").toString(), "to stdout", "to stderr", "5");
        assertEquals("5", r[0], r[2]);
        assertEquals("to stdout", r[1]);
        assertEquals("to stderr", r[2]);
        r = child("from the host\n", programs.resolve("cat.wasm").toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("from the host\n", r[1]);
        // not asked: the host's stdin is not read, stdout and stderr are not written
        r = child("from the host\n", "--none", programs.resolve("cat.wasm").toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("captured[]", r[1]);
        r = child("", "--none", programs.resolve("streams.wasm").toString(), "to stdout", "to stderr", "5");
        assertEquals("5", r[0]);
        assertEquals("captured[to stdout]", r[1]);
        assertEquals("", r[2]);
    }

    @Test
    void exitExceptionMadeByHand() {
        assertEquals(-1, new ExitException("no program").getExitCode());
        assertEquals(4, new ExitException("exited", 4).getExitCode());
    }

    @Test
    void closed() {
        WasiConfig config = new WasiConfig("x");
        config.close();
        assertThrows(IllegalStateException.class, () -> config.argument("y"));
        assertThrows(ArgumentException.class, () -> new WasiConfig("x").environment("A=B", "c"));
    }
}
