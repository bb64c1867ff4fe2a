/* FNV-1a (32-bit) over a buffer, one source for every build: natively with `clang -O2` and
   to wasm32 with `clang --target=wasm32 -O2 -nostdlib`. fill(n) writes the same n bytes every
   implementation writes (byte i = (i * 31 + (i >> 8)) & 255) into buf, hash(n) returns the
   FNV-1a hash of its first n bytes; buffer() is its address (in the wasm build: the offset in
   linear memory). */
#define CAP (1 << 20)

static unsigned char buf[CAP];

unsigned char *buffer(void) { return buf; }

int fill(int n) {
    if (n < 0 || n > CAP) return -1;
    for (unsigned i = 0; i < (unsigned)n; i++) buf[i] = (unsigned char)((i * 31u + (i >> 8)) & 255u);
    return n;
}

unsigned hash(int n) {
    unsigned h = 2166136261u;
    for (int i = 0; i < n && i < CAP; i++) {
        h ^= buf[i];
        h *= 16777619u;
    }
    return h;
}
