/* WASI test program: tries each operation of its arguments, in order, and prints one
   line per operation: "<op> <path>: ok" or the error (strerror). Operations:
     read F       open F for reading and read it
     write F      create or truncate F and write to it
     append F     open F to append and write to it
     mkdir D, rmdir D, rm F, rename A B, link A B, symlink TARGET F
     touch F      set F's times (through a descriptor opened for reading)
     truncate F   set F's size to 0
     root F       path_open on the virtual root (fd 3) creating F, as a program can without libc
     dirs         the directories the program was given: "<fd> <name>" each */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static int report(const char *op, const char *path, int ok) {
    if (ok) printf("%s %s: ok\n", op, path);
    else printf("%s %s: %s\n", op, path, strerror(errno));
    return 1;
}

static int write_to(const char *path, int flags) {
    int fd = open(path, O_WRONLY | flags, 0644);
    if (fd < 0) return 0;
    int ok = write(fd, "written\n", 8) == 8;
    return close(fd) == 0 && ok;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *op = argv[i], *a = i + 1 < argc ? argv[i + 1] : "", *b = i + 2 < argc ? argv[i + 2] : "";
        char buf[256];
        if (strcmp(op, "dirs") == 0) {
            for (__wasi_fd_t fd = 3; fd < 64; fd++) {
                __wasi_prestat_t p;
                if (__wasi_fd_prestat_get(fd, &p) != 0 || p.u.dir.pr_name_len >= sizeof buf) break;
                if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, p.u.dir.pr_name_len) != 0) break;
                buf[p.u.dir.pr_name_len] = 0;
                printf("%u %s\n", fd, buf);
            }
            continue;
        }
        i++;
        if (strcmp(op, "read") == 0) {
            int fd = open(a, O_RDONLY);
            report(op, a, fd >= 0 && read(fd, buf, sizeof buf) >= 0 && close(fd) == 0);
        } else if (strcmp(op, "write") == 0) {
            report(op, a, write_to(a, O_CREAT | O_TRUNC));
        } else if (strcmp(op, "append") == 0) {
            report(op, a, write_to(a, O_APPEND));
        } else if (strcmp(op, "mkdir") == 0) {
            report(op, a, mkdir(a, 0755) == 0);
        } else if (strcmp(op, "rmdir") == 0) {
            report(op, a, rmdir(a) == 0);
        } else if (strcmp(op, "rm") == 0) {
            report(op, a, unlink(a) == 0);
        } else if (strcmp(op, "rename") == 0) {
            i++, report(op, a, rename(a, b) == 0);
        } else if (strcmp(op, "link") == 0) {
            i++, report(op, a, link(a, b) == 0);
        } else if (strcmp(op, "symlink") == 0) {
            i++, report(op, b, symlink(a, b) == 0);
        } else if (strcmp(op, "touch") == 0) {
            int fd = open(a, O_RDONLY);
            int ok = fd >= 0 && futimens(fd, NULL) == 0;
            int saved = errno;
            if (fd >= 0) close(fd);
            errno = saved;
            report(op, a, ok);
        } else if (strcmp(op, "truncate") == 0) {
            report(op, a, truncate(a, 0) == 0);
        } else if (strcmp(op, "root") == 0) {
            __wasi_fd_t fd;
            __wasi_errno_t e = __wasi_path_open(3, 0, a, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
            if (e == 0 && __wasi_fd_close(fd) != 0) e = __WASI_ERRNO_BADF;
            errno = e;
            report(op, a, e == 0);
        } else {
            printf("%s: unknown operation\n", op);
            return 2;
        }
    }
    return 0;
}
