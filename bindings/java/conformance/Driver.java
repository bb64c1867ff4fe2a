package org.wasmer.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wasmer.Exports;
import org.wasmer.FunctionType;
import org.wasmer.Global;
import org.wasmer.Imports;
import org.wasmer.Instance;
import org.wasmer.Module;
import org.wasmer.Store;
import org.wasmer.Type;
import org.wasmer.WasmFunction;
import org.wasmer.ArgumentException;
import org.wasmer.ExitException;
import org.wasmer.WasiConfig;
import org.wasmer.WasiEnv;
import org.wasmer.exports.Export;

/**
 * Conformance driver for the Java binding (conformance/protocol.md): one JSON request per
 * line on stdin, one JSON answer per line on stdout. Uses only the public org.wasmer API.
 * The {@code example} request's call of a public member is in {@link Examples}.
 */
public final class Driver {
    /** A bad request: unknown op, module or export. */
    static final class ProtocolError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProtocolError(String message) {
            super(message);
        }
    }

    /** The host object standing for the spec tests' {@code ref.extern N}: any Java object can be an externref. */
    static final class ExternToken {
        final long n;

        ExternToken(long n) {
            this.n = n;
        }

        @Override
        public String toString() {
            return "ExternToken(" + Long.toUnsignedString(n) + ")";
        }
    }

    private final Store store = new Store();
    private final List<Object[]> host = new ArrayList<>(); // {module, name, extern}
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Map<String, Exports> registered = new LinkedHashMap<>();
    private final Map<Long, Instance> byId = new HashMap<>(); // by the id of the `module` request
    private final List<Instance> instances = new ArrayList<>();

    Driver() {
        define("env", "sum", new WasmFunction(store, new FunctionType(new Type[]{Type.I32, Type.I32}, new Type[]{Type.I32}),
            args -> new Object[]{(int) args[0] + (int) args[1]}));
    }

    private void define(String module, String name, Export extern) {
        host.add(new Object[]{module, name, extern});
        owned.add((AutoCloseable) extern);
    }

    private Instance instance(Object id) {
        Instance inst = byId.get(id);
        if (inst == null) {
            throw new ProtocolError("no instance " + id);
        }
        return inst;
    }

    /** The host module env, then every registered instance (spectest among them). */
    private Imports imports() {
        Imports imports = new Imports();
        for (Object[] h : host) {
            imports.define((String) h[0], (String) h[1], (Export) h[2]);
        }
        for (Map.Entry<String, Exports> e : registered.entrySet()) {
            imports.register(e.getKey(), e.getValue());
        }
        return imports;
    }

    private static byte[] read(Object path) throws IOException {
        if (!(path instanceof String)) {
            throw new ProtocolError("missing path");
        }
        return Files.readAllBytes(Paths.get((String) path));
    }

    /** Runs a WASI program's _start in a store of its own (WasiConfig, WasiEnv: the public API). */
    private static Map<String, Object> wasi(Map<String, Object> req, Map<String, Object> resp) throws Exception {
        List<?> capture = (List<?>) req.get("capture");
        try (Store wasiStore = new Store();
             Module module = new Module(wasiStore, read(req.get("path")));
             WasiConfig config = new WasiConfig((String) req.get("program"))) {
            for (Object arg : (List<?>) req.get("args")) {
                config.argument((String) arg);
            }
            for (Object pair : (List<?>) req.get("env")) {
                config.environment((String) ((List<?>) pair).get(0), (String) ((List<?>) pair).get(1));
            }
            if (req.get("stdin") != null) {
                config.stdin(Base64.getDecoder().decode((String) req.get("stdin")));
            }
            for (Object dir : (List<?>) req.get("preopens")) {
                config.preopenDirectory((String) dir);
            }
            for (Object pair : (List<?>) req.get("maps")) {
                config.mapDirectory((String) ((List<?>) pair).get(0), (String) ((List<?>) pair).get(1));
            }
            if (capture.contains("stdout")) {
                config.captureStdout();
            }
            if (capture.contains("stderr")) {
                config.captureStderr();
            }
            try (WasiEnv env = new WasiEnv(wasiStore, config);
                 Instance instance = new Instance(wasiStore, module, env.imports(module))) {
                Integer exit = null;
                try {
                    instance.exports.getFunction("_start").apply();
                } catch (ExitException e) {
                    exit = e.getExitCode();
                }
                byte[] out = env.readStdout(), err = env.readStderr();
                resp.put("exit", exit);
                resp.put("stdout", capture.contains("stdout") ? Base64.getEncoder().encodeToString(out) : null);
                resp.put("stderr", capture.contains("stderr") ? Base64.getEncoder().encodeToString(err) : null);
                return resp;
            }
        }
    }

    Map<String, Object> handle(Map<String, Object> req) throws Exception {
        Object op = req.get("op");
        Map<String, Object> resp = new LinkedHashMap<>();
        resp.put("ok", true);
        if ("module".equals(op)) {
            try (Module module = new Module(store, read(req.get("path")))) {
                Instance inst = new Instance(store, module, imports());
                instances.add(inst);
                byId.put((Long) req.get("id"), inst);
            }
            return resp;
        }
        if ("compile".equals(op)) {
            new Module(store, read(req.get("path"))).close();
            return resp;
        }
        if ("register".equals(op)) {
            Object as = req.get("as");
            if (!(as instanceof String)) {
                throw new ProtocolError("missing `as`");
            }
            registered.put((String) as, instance(req.get("instance")).exports);
            return resp;
        }
        if ("invoke".equals(op)) {
            Exports exports = instance(req.get("instance")).exports;
            String field = (String) req.get("field");
            if (!exports.contains(field)) {
                throw new ProtocolError("no export named " + field);
            }
            WasmFunction f = exports.getFunction(field);
            List<Type> params = f.type().params();
            List<?> rawArgs = req.get("args") == null ? List.of() : (List<?>) req.get("args");
            Object[] args = new Object[rawArgs.size()];
            for (int i = 0; i < args.length; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> a = (Map<String, Object>) rawArgs.get(i);
                args[i] = toJava((String) a.get("type"), (String) a.get("value"));
            }
            Object[] out = f.apply(args);
            List<Object> results = new ArrayList<>();
            List<Type> types = f.type().results();
            for (int i = 0; i < types.size(); i++) {
                results.add(fromJava(types.get(i), out[i]));
            }
            resp.put("results", results);
            return resp;
        }
        if ("get".equals(op)) {
            Exports exports = instance(req.get("instance")).exports;
            String field = (String) req.get("field");
            if (!exports.contains(field)) {
                throw new ProtocolError("no export named " + field);
            }
            Global g = exports.getGlobal(field);
            resp.put("results", List.of(fromJava(g.type().type(), g.get())));
            return resp;
        }
        if ("read_cstring".equals(op)) {
            Exports exports = instance(req.get("instance")).exports;
            Object memoryName = req.get("memory") == null ? "memory" : req.get("memory");
            if (!exports.contains((String) memoryName)) {
                throw new ProtocolError("no export named " + memoryName);
            }
            ByteBuffer buffer = exports.getMemory((String) memoryName).buffer();
            long offset = ((Number) req.get("offset")).longValue();
            if (offset < 0 || offset > buffer.capacity()) {
                throw new ArgumentException("offset " + offset + " is outside the memory (" + buffer.capacity() + " bytes)");
            }
            int end = (int) offset;
            while (end < buffer.capacity() && buffer.get(end) != 0) {
                end++;
            }
            if (end == buffer.capacity()) {
                throw new ArgumentException("no NUL byte after offset " + offset);
            }
            byte[] data = new byte[end - (int) offset];
            buffer.get((int) offset, data);
            resp.put("value", new String(data, StandardCharsets.UTF_8));
            return resp;
        }
        if ("example".equals(op)) {
            resp.put("result", example(req));
            return resp;
        }
        if ("wasi".equals(op)) {
            return wasi(req, resp);
        }
        if ("quit".equals(op)) {
            return null;
        }
        throw new ProtocolError("unknown op " + op);
    }

    /**
     * What the driver takes from the model: {@code bindings/java/conformance/model.json}, rendered from
     * api.yaml (the error kinds by exception class, and every public member that has examples by its
     * shape, class and public name), read at start; its path is the system property wasmgen.model.
     */
    static final Map<?, ?> MODEL = loadModel();

    private static Map<?, ?> loadModel() {
        try {
            String path = System.getProperty("wasmgen.model", "bindings/java/conformance/model.json");
            return (Map<?, ?>) Json.parse(Files.readString(Paths.get(path)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The `example` request: the driver's store (and the example's instance, with the host imports), then Examples. */
    private Object example(Map<String, Object> req) throws Exception {
        Examples.Member m = Examples.member(req.get("method"));
        Map<String, Object> objects = new HashMap<>();
        objects.put("Store", store);
        objects.put("Engine", store.engine());
        if (req.get("module") != null) {
            try (Module module = new Module(store, read(req.get("module")))) {
                Instance inst = new Instance(store, module, imports());
                instances.add(inst);
                objects.put("Instance", inst);
                objects.put("Module", module);
                return Examples.call(m, req, objects);
            }
        }
        return Examples.call(m, req, objects);
    }

    static Object toJava(String type, String value) {
        if (value == null || "null".equals(value)) {
            return null;
        }
        long bits = Long.parseUnsignedLong(value);
        switch (type) {
            case "externref":
                return new ExternToken(bits); // comes back out of wasm as this very object
            case "i32":
                return (int) bits;
            case "i64":
                return bits;
            case "f32":
                return Float.intBitsToFloat((int) bits);
            case "f64":
                return Double.longBitsToDouble(bits);
            default:
                throw new UnsupportedOperationException("unsupported value type " + type + " " + value);
        }
    }

    static Map<String, Object> fromJava(Type type, Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type.name().toLowerCase(java.util.Locale.ROOT));
        String bits;
        switch (type) {
            case I32:
                bits = Integer.toUnsignedString((Integer) value);
                break;
            case I64:
                bits = Long.toUnsignedString((Long) value);
                break;
            case F32:
                bits = Integer.toUnsignedString(Float.floatToRawIntBits((Float) value));
                break;
            case F64:
                bits = Long.toUnsignedString(Double.doubleToRawLongBits((Double) value));
                break;
            case EXTERNREF:
                bits = value == null ? "null" : Long.toUnsignedString(((ExternToken) value).n);
                break;
            case FUNCREF:
                // a non-null funcref is a WasmFunction: its identity cannot cross the protocol
                bits = value == null ? "null" : "1";
                if (value != null) {
                    ((WasmFunction) value).close();
                }
                break;
            default:
                bits = value == null ? "null" : String.valueOf(value);
        }
        out.put("value", bits);
        return out;
    }

    static String errorKind(Throwable t) {
        for (Object entry : (List<?>) MODEL.get("errors")) {
            List<?> pair = (List<?>) entry;
            try {
                if (Class.forName((String) pair.get(0)).isInstance(t)) {
                    return (String) pair.get(1);
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("model.json names a missing exception class", e);
            }
        }
        if (t instanceof ProtocolError) {
            return "protocol";
        }
        return "runtime";
    }

    void close() {
        for (Instance inst : instances) {
            inst.close();
        }
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // closing never fails
            }
        }
        store.close();
    }

    public static void main(String[] argv) throws IOException {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing else may reach stdout
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Driver driver = new Driver();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> resp;
            Object id = null; // a request's integer "id" comes back in its response
            try {
                Object req = Json.parse(line);
                if (!(req instanceof Map)) {
                    throw new ProtocolError("a request must be a JSON object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) req;
                id = r.get("id") instanceof Long ? r.get("id") : null;
                resp = driver.handle(r);
            } catch (Throwable t) {
                resp = new LinkedHashMap<>();
                resp.put("ok", false);
                resp.put("error", errorKind(t));
                resp.put("message", t.getClass().getSimpleName() + ": " + t.getMessage());
            }
            if (resp == null) {
                break;
            }
            if (id != null) {
                resp.put("id", id);
            }
            out.print(Json.write(resp));
            out.print('\n');
            out.flush();
        }
        driver.close();
        out.flush();
        System.exit(0);
    }

    /** Just enough JSON for the protocol: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            p.ws();
            if (p.i != p.s.length()) {
                throw new ProtocolError("trailing characters in JSON");
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            ws();
            if (i >= s.length()) {
                throw new ProtocolError("unexpected end of JSON");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new ProtocolError("expected '" + c + "' at " + i);
            }
            i++;
        }

        private Object value() {
            char c = peek();
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                if (peek() == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    String k = string();
                    expect(':');
                    m.put(k, value());
                    if (peek() == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                if (peek() == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    if (peek() == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String num = s.substring(start, i);
            if (num.isEmpty()) {
                throw new ProtocolError("bad JSON at " + start);
            }
            if (num.contains(".") || num.contains("e") || num.contains("E")) {
                return Double.parseDouble(num);
            }
            return Long.parseLong(num);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new ProtocolError("unterminated JSON string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: b.append(e);
                }
            }
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString();
        }

        private static void write(StringBuilder b, Object v) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof Boolean || v instanceof Number) {
                b.append(v);
            } else if (v instanceof Map) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (v instanceof List) {
                b.append('[');
                boolean first = true;
                for (Object o : (List<?>) v) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, o);
                }
                b.append(']');
            } else {
                String s = v.toString();
                b.append('"');
                for (int k = 0; k < s.length(); k++) {
                    char c = s.charAt(k);
                    if (c == '"' || c == '\\') {
                        b.append('\\').append(c);
                    } else if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
                b.append('"');
            }
        }
    }
}
