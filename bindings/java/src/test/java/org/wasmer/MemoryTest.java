package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MemoryTest {
    @Test
    void readString() {
        try (Instance instance = new Instance(Wat.tests())) {
            int pointer = (Integer) instance.exports.getFunction("string").apply()[0];
            Memory memory = instance.exports.getMemory("memory");
            ByteBuffer buffer = memory.buffer();
            byte[] bytes = new byte[13];
            buffer.position(pointer);
            buffer.get(bytes);
            assertEquals("Hello, World!", new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void bulkReadWrite() {
        try (Store store = new Store(); Memory memory = new Memory(store, new MemoryType(1, 3L))) {
            long size = memory.dataSize();
            byte[] pattern = new byte[768];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (byte) i;
            }
            long[] offsets = {0, size / 2, size - 1};
            byte[][] datas = {"head".getBytes(StandardCharsets.UTF_8), pattern, {(byte) 0xff}};
            for (int i = 0; i < offsets.length; i++) {
                memory.write(offsets[i], datas[i]);
                assertArrayEquals(datas[i], memory.read(offsets[i], datas[i].length));
                assertEquals(datas[i][0], memory.buffer().get((int) offsets[i]));
            }
            assertEquals(0, memory.read(size, 0).length);
            byte[] part = new byte[6];
            memory.write(10, "xyab".getBytes(StandardCharsets.UTF_8), 2, 2);
            memory.read(10, part, 1, 2);
            assertArrayEquals(new byte[] {0, 'a', 'b', 0, 0, 0}, part);
            byte[] before = memory.read(0, size);
            long[][] bad = {{size + 1, 0}, {size - 1, 2}, {0, size + 1}, {Long.MAX_VALUE, 2}, {-1, 1}};
            for (long[] b : bad) {
                assertThrows(IndexOutOfBoundsException.class, () -> memory.read(b[0], b[1]));
                assertThrows(IndexOutOfBoundsException.class, () -> memory.write(b[0], new byte[(int) b[1]]));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> memory.read(0, part, 5, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.write(0, part, -1, 2));
            assertArrayEquals(before, memory.read(0, size)); // nothing written
            assertEquals(1, memory.grow(1));
            memory.write(size + 5, "grown".getBytes(StandardCharsets.UTF_8));
            assertEquals("grown", new String(memory.read(size + 5, 5), StandardCharsets.UTF_8));
            assertEquals((byte) 0xff, memory.read(size - 1, 1)[0]);
            memory.write(2 * size - 2, new byte[] {'o', 'k'});
            assertEquals('k', memory.buffer().get((int) (2 * size - 1))); // a buffer taken after grow
        }
    }

    @Test
    void zeroCopyLittleEndian() {
        try (Instance instance = new Instance(Wat.tests())) {
            Memory memory = instance.exports.getMemory("memory");
            ByteBuffer buffer = memory.buffer();
            assertTrue(buffer.isDirect());
            assertEquals(ByteOrder.LITTLE_ENDIAN, buffer.order());
            assertEquals(65536, buffer.capacity());
            buffer.putInt(100, 0x01020304);
            assertEquals(0x01020304, instance.exports.getFunction("load").apply(100)[0]);
            assertEquals(4, buffer.get(100)); // little-endian: low byte first
            buffer.put(0, (byte) 'A');
            assertEquals('A', memory.buffer().get(0));
        }
    }

    @Test
    void grow() {
        try (Instance instance = new Instance(Wat.tests())) {
            Memory memory = instance.exports.getMemory("memory");
            assertEquals(1, memory.size());
            assertEquals(65536, memory.dataSize());
            assertEquals(1, memory.grow(1));
            assertEquals(2, memory.size());
            ByteBuffer buffer = memory.buffer();
            assertEquals(2 * 65536, buffer.capacity());
            buffer.put(65536 + 5, (byte) 9);
            assertEquals(9, instance.exports.getFunction("load").apply(65536 + 5)[0]);
            assertThrows(WasmerException.class, () -> memory.grow(10)); // past the maximum of 4
            assertThrows(ArgumentException.class, () -> memory.grow(-1));
            assertEquals(new MemoryType(2, 4L), memory.type()); // the current size
        }
    }

    @Test
    void bufferOutlivesInstance() {
        Instance instance = new Instance(Wat.tests());
        ByteBuffer buffer = instance.exports.getMemory("memory").buffer();
        instance.close();
        // the memory stays allocated while a buffer over it is reachable
        buffer.put(16, (byte) 'J');
        assertEquals('J', buffer.get(16));
        assertEquals('e', buffer.get(17));
    }

    @Test
    void hostMemoryImported() {
        try (Store store = new Store();
             Memory memory = new Memory(store, new MemoryType(1, null));
             Global g = new Global(store, Type.I64, 41L, true);
             Table t = new Table(store, new TableType(Type.FUNCREF, 4, 8L));
             Module module = new Module(store, Wasmer.wat2wasm(Wat.IMPORTED_EXTERNS))) {
            Imports imports = new Imports().define("env", "memory", memory).define("env", "g", g).define("env", "t", t);
            try (Instance instance = new Instance(store, module, imports)) {
                memory.buffer().put(3, (byte) 77);
                assertEquals(77, instance.exports.getFunction("peek").apply(3)[0]);
                assertEquals(42L, instance.exports.getFunction("bump").apply()[0]);
                assertEquals(42L, g.get());
            }
            assertEquals(4, t.size());
            assertThrows(LinkException.class, () -> new Instance(module, imports)); // another store
        }
    }
}
