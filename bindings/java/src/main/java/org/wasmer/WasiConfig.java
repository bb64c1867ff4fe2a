package org.wasmer;

import java.util.Objects;

/**
 * What a WASI program is given before it runs: its name, arguments, environment,
 * directories and standard streams. A builder: each method returns this configuration.
 *
 * <pre>{@code
 * WasiConfig config = new WasiConfig("echo")
 *     .argument("hello")
 *     .environment("KEY", "value")
 *     .mapDirectory("/data", "/host/path/data")
 *     .stdin("input".getBytes(StandardCharsets.UTF_8))
 *     .captureStdout();
 * }</pre>
 *
 * <p>The sandbox: nothing of the host is given unless asked for. The program sees no
 * directory but those preopened or mapped, no environment variable but those set, an
 * empty stdin unless {@link #stdin} or {@link #inheritStdin} is called, and its stdout and
 * stderr are discarded unless captured ({@link WasiEnv#readStdout}) or inherited.
 * A configuration stays usable after a {@link WasiEnv} is made from it.
 */
public final class WasiConfig extends WasiConfigBase implements AutoCloseable {
    private long ptr;
    private final Handle handle;

    /**
     * A configuration for a program of this name (its {@code argv[0]}).
     *
     * @param program the program's name
     */
    public WasiConfig(String program) {
        this.ptr = Native.wgWasiConfigNew(Native.utf8(Objects.requireNonNull(program, "program")));
        this.handle = new Handle(this, Native.T_WASI_CONFIG, ptr);
    }

    @Override
    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("WasiConfig");
        }
        return p;
    }

    /** Frees the configuration (environments made from it are not affected). */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }
}
