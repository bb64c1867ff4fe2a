package org.wasmer.conformance;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.wasmer.Instance;
import org.wasmer.Type;

/**
 * The conformance driver's {@code example} request (conformance/protocol.md): a call of a public
 * member of org.wasmer, found by reflection from what model.json says of it (its shape, class,
 * public name and spec types), with arguments and result converted by the spec types. The driver
 * ({@link Driver}) sets up the objects an example may name (its store, and an instance of the
 * example's module with the driver's host imports).
 */
final class Examples {
    private Examples() {
    }

    /** A public member: its shape ("constructor", "static", "method"), class, public name and spec types. */
    record Member(String shape, String owner, String name, String[] params, String result) {
        static Member of(Object json) {
            if (!(json instanceof Map<?, ?> m)) {
                return null;
            }
            List<?> params = (List<?>) m.get("params");
            return new Member((String) m.get("shape"), (String) m.get("owner"), (String) m.get("name"),
                params.toArray(new String[0]), (String) m.get("result"));
        }
    }

    /** The public member that model.json names for a spec method ("Memory.grow"). */
    static Member member(Object method) {
        Member m = Member.of(((Map<?, ?>) Driver.MODEL.get("members")).get(method));
        if (m == null) {
            throw new Driver.ProtocolError("no public member " + method + " with examples");
        }
        return m;
    }

    /**
     * Calls the member with the request's arguments ({@code args}) on its receiver ({@code self}), both
     * resolved among {@code objects} (Store, Engine, and Module and Instance when the example has a
     * module), and encodes the result by the member's spec type.
     */
    static Object call(Member m, Map<String, Object> req, Map<String, Object> objects) throws Exception {
        List<?> args = (List<?>) req.get("args");
        Object self = req.get("self") == null ? null : resolve(req.get("self"), objects);
        Executable target = find(m, self, args.size());
        Class<?>[] types = target.getParameterTypes();
        Object[] in = new Object[args.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = argument(m.params()[i], args.get(i), types[i], objects);
        }
        Object out;
        try {
            out = target instanceof Constructor<?> c ? c.newInstance(in) : ((Method) target).invoke(self, in);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        return encode(m.result(), out);
    }

    /** The public constructor or method of the member's name taking that many arguments. */
    private static Executable find(Member m, Object self, int arity) throws ClassNotFoundException {
        if (m.owner() == null && self == null) {
            throw new Driver.ProtocolError(m.name() + " needs a receiver (self)");
        }
        Class<?> cls = m.owner() != null ? Class.forName(m.owner()) : self.getClass();
        List<Executable> candidates = new ArrayList<>(List.of(cls.getConstructors()));
        candidates.addAll(List.of(cls.getMethods()));
        for (Executable e : candidates) {
            boolean isStatic = Modifier.isStatic(e.getModifiers());
            boolean fits = "constructor".equals(m.shape()) ? e instanceof Constructor
                : e instanceof Method && e.getName().equals(m.name()) && isStatic == "static".equals(m.shape());
            if (fits && e.getParameterCount() == arity) {
                e.setAccessible(true);
                return e;
            }
        }
        throw new IllegalStateException(cls.getName() + " has no public " + m.shape() + " " + (m.name() == null ? "" : m.name())
            + " of " + arity + " parameter(s)");
    }

    /** {export: NAME} of the example's instance, or {object: Store|Engine|Module|Instance}. */
    private static Object resolve(Object ref, Map<String, Object> objects) {
        Map<?, ?> r = (Map<?, ?>) ref;
        if (r.containsKey("export")) {
            Instance inst = (Instance) objects.get("Instance");
            if (inst == null || !inst.exports.contains((String) r.get("export"))) {
                throw new Driver.ProtocolError("no export named " + r.get("export"));
            }
            return inst.exports.get((String) r.get("export"));
        }
        Object obj = objects.get((String) r.get("object"));
        if (obj == null) {
            throw new Driver.ProtocolError("no object " + r.get("object") + " in an example");
        }
        return obj;
    }

    private static Object argument(String type, Object value, Class<?> to, Map<String, Object> objects) {
        switch (type) {
            case "bool":
            case "str":
                return value;
            case "u32":
            case "u64":
                long n = ((Number) value).longValue();
                return to == int.class || to == Integer.class ? (Object) (int) n : (Object) n;
            case "bytes":
                return HexFormat.of().parseHex((String) ((Map<?, ?>) value).get("hex"));
            case "valkind":
                return Type.valueOf(((String) value).toUpperCase(java.util.Locale.ROOT));
            case "compiler":
                return org.wasmer.Compiler.valueOf(((String) value).toUpperCase(java.util.Locale.ROOT));
            default: // a handle
                return value == null ? null : resolve(value, objects);
        }
    }

    private static Object encode(String type, Object value) {
        if (value == null || "void".equals(type)) {
            return null;
        }
        switch (type) {
            case "u32":
                return value instanceof Integer i ? Integer.toUnsignedLong(i) : value;
            case "bool":
            case "u64":
            case "str":
                return value;
            case "bytes":
                return Map.of("hex", HexFormat.of().formatHex((byte[]) value));
            case "valkind":
            case "externkind":
            case "compiler":
                return value instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT) : String.valueOf(value);
            default:
                return Map.of("class", type);
        }
    }
}
