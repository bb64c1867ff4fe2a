/* WASI test program: writes argv[1] to stdout and argv[2] to stderr, then exits
   with the code argv[3]. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    fputs(argv[1], stdout);
    fputs(argv[2], stderr);
    fflush(stdout);
    fflush(stderr);
    exit(atoi(argv[3]));
}
