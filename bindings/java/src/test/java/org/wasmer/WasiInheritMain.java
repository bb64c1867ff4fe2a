package org.wasmer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Run by WasiTest in a child JVM: a WASI program whose streams are the host process's
 * (inheritStdin/inheritStdout/inheritStderr). args: [--none: inherit nothing, capture stdout and
 * print it as "captured[...]"] the .wasm, then the program's arguments.
 */
final class WasiInheritMain {
    private WasiInheritMain() {}

    public static void main(String[] args) throws Exception {
        boolean inherit = !args[0].equals("--none");
        int first = inherit ? 0 : 1;
        try (Store store = new Store();
             Module module = new Module(store, Files.readAllBytes(Paths.get(args[first])));
             WasiConfig config = new WasiConfig("program")) {
            if (inherit) {
                config.inheritStdin().inheritStdout().inheritStderr();
            } else {
                config.captureStdout();
            }
            for (int i = first + 1; i < args.length; i++) {
                config.argument(args[i]);
            }
            try (WasiEnv env = new WasiEnv(store, config);
                 Instance instance = new Instance(store, module, env.imports(module))) {
                int status = 0;
                try {
                    instance.exports.getFunction("_start").apply();
                } catch (ExitException e) {
                    status = e.getExitCode();
                }
                byte[] captured = env.readStdout();
                if (!inherit) {
                    System.out.print("captured[" + new String(captured, StandardCharsets.UTF_8) + "]");
                } else if (captured.length != 0 || env.readStderr().length != 0) {
                    status = 99; // inherited streams are not captured
                }
                System.out.flush();
                System.exit(status);
            }
        }
    }
}
