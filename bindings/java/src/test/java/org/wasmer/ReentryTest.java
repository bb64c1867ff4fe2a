package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * A host function calling back into its own instance, N deep (issue 9, item 2): the right
 * value, or StackOverflowError / a WasmerException when the stack runs out; never another
 * value, never a crash; and the instance works afterwards.
 */
class ReentryTest {
    /** down(n) = n == 0 ? 0 : env.reenter(n - 1) + 1, where env.reenter calls down again. */
    static final String WAT = String.join("\n",
        "(module",
        "  (import \"env\" \"reenter\" (func $reenter (param i32) (result i32)))",
        "  (func (export \"down\") (param $n i32) (result i32)",
        "    local.get $n i32.eqz",
        "    if (result i32) i32.const 0",
        "    else local.get $n i32.const 1 i32.sub call $reenter i32.const 1 i32.add end))");

    @Test
    void deepReentry() {
        WasmFunction[] down = new WasmFunction[1];
        Imports imports = new Imports().function("env", "reenter",
            new FunctionType(new Type[]{Type.I32}, new Type[]{Type.I32}), args -> down[0].apply(args[0]));
        try (Instance instance = new Instance(WAT.getBytes(), imports)) {
            down[0] = instance.exports.getFunction("down");
            assertEquals(100, down[0].apply(100)[0]); // shallow: always the right value
            int overflowed = 0;
            for (int depth : new int[]{1_000, 10_000, 100_000}) {
                try {
                    assertEquals(depth, down[0].apply(depth)[0], "down(" + depth + ")");
                } catch (StackOverflowError | WasmerException e) {
                    overflowed++;
                }
                assertEquals(3, down[0].apply(3)[0], "the instance works after down(" + depth + ")");
            }
            if (overflowed == 0) {
                fail("100,000 nested host calls did not run out of stack: the test no longer tests overflow");
            }
        }
    }
}
