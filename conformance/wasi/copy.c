/* WASI test program: copies the file argv[1] to argv[2]; on failure says why on
   stderr and exits 1. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: copy FROM TO\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        fprintf(stderr, "cannot open %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        fprintf(stderr, "cannot create %s: %s\n", argv[2], strerror(errno));
        fclose(in);
        return 1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, n, out) != n) {
            fprintf(stderr, "cannot write %s: %s\n", argv[2], strerror(errno));
            return 1;
        }
    }
    fclose(in);
    if (fclose(out) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    printf("copied %s to %s\n", argv[1], argv[2]);
    return 0;
}
