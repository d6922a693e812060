// An LD_PRELOAD interposer that records, in order, every call through which a process makes
// data durable or visible: writes to files, fsync/fdatasync, renames, and the
// first line of every HTTP response written to a socket. The durability tests start `oss serve`
// under it and check, for each acknowledged write, that everything it wrote was synced before
// the response left.
//
// One line per event, appended with a single write(2) to the file named by DURABILITY_TRACE:
//   write <path>           data written to a regular file (write, pwrite, pwritev, writev)
//   sync <path>            fsync or fdatasync of a file or directory
//   rename <from> <to>
//   response <status line> a socket write that starts an HTTP response
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int trace_fd = -2;

static int trace_descriptor(void) {
    if (trace_fd == -2) {
        const char *path = getenv("DURABILITY_TRACE");
        trace_fd = path ? (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    }
    return trace_fd;
}

static void record(const char *kind, const char *a, const char *b) {
    int fd = trace_descriptor();
    if (fd < 0) return;
    char line[8192];
    int n = b ? snprintf(line, sizeof line, "%s %s %s\n", kind, a, b) : snprintf(line, sizeof line, "%s %s\n", kind, a);
    if (n <= 0) return;
    if (n >= (int)sizeof line) n = sizeof line - 1;
    int saved = errno;
    syscall(SYS_write, fd, line, (size_t)n);
    errno = saved;
}

static int path_of(int fd, char *out, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, size - 1);
    if (n < 0) return -1;
    out[n] = 0;
    return 0;
}

static void file_event(const char *kind, int fd) {
    if (fd < 0 || fd == trace_fd) return;
    struct stat st;
    if (fstat(fd, &st) != 0) return;
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return;
    char path[4096];
    if (path_of(fd, path, sizeof path) == 0) record(kind, path, NULL);
}

/// The canonical form of `path`: its directory resolved by realpath(3), so that it compares
/// with the paths /proc gives for descriptors.
static const char *realpath_dir(const char *path, char *out) {
    char directory[4096];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash) {
        size_t length = (size_t)(slash - path);
        if (length == 0) length = 1;
        if (length >= sizeof directory) return path;
        memcpy(directory, path, length);
        directory[length] = 0;
    } else {
        strcpy(directory, ".");
    }
    char resolved[PATH_MAX];
    if (!realpath(directory, resolved)) return path;
    snprintf(out, 4096, "%s/%s", strcmp(resolved, "/") == 0 ? "" : resolved, base);
    return out;
}

static void socket_bytes(int fd, const void *bytes, size_t count) {
    if (fd < 0 || count < 12 || memcmp(bytes, "HTTP/1.1 ", 9) != 0) return;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return;
    char status[13];
    memcpy(status, (const char *)bytes + 9, 3);
    status[3] = 0;
    record("response", status, NULL);
}

static void written(int fd, const void *bytes, size_t count, ssize_t result) {
    if (result <= 0) return;
    socket_bytes(fd, bytes, count);
    file_event("write", fd);
}

#define REAL(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *bytes, size_t count) {
    REAL(write);
    ssize_t result = real_write(fd, bytes, count);
    written(fd, bytes, count, result);
    return result;
}

ssize_t pwrite(int fd, const void *bytes, size_t count, off_t offset) {
    REAL(pwrite);
    ssize_t result = real_pwrite(fd, bytes, count, offset);
    written(fd, bytes, count, result);
    return result;
}

ssize_t pwrite64(int fd, const void *bytes, size_t count, off_t offset) {
    REAL(pwrite64);
    ssize_t result = real_pwrite64(fd, bytes, count, offset);
    written(fd, bytes, count, result);
    return result;
}

ssize_t writev(int fd, const struct iovec *iov, int count) {
    REAL(writev);
    ssize_t result = real_writev(fd, iov, count);
    if (count > 0) written(fd, iov[0].iov_base, iov[0].iov_len, result);
    return result;
}

ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t offset) {
    REAL(pwritev);
    ssize_t result = real_pwritev(fd, iov, count, offset);
    if (count > 0) written(fd, iov[0].iov_base, iov[0].iov_len, result);
    return result;
}

ssize_t send(int fd, const void *bytes, size_t count, int flags) {
    REAL(send);
    ssize_t result = real_send(fd, bytes, count, flags);
    if (result > 0) socket_bytes(fd, bytes, count);
    return result;
}

ssize_t sendmsg(int fd, const struct msghdr *message, int flags) {
    REAL(sendmsg);
    ssize_t result = real_sendmsg(fd, message, flags);
    if (result > 0 && message->msg_iovlen > 0)
        socket_bytes(fd, message->msg_iov[0].iov_base, message->msg_iov[0].iov_len);
    return result;
}

int fsync(int fd) {
    REAL(fsync);
    int result = real_fsync(fd);
    if (result == 0) file_event("sync", fd);
    return result;
}

int fdatasync(int fd) {
    REAL(fdatasync);
    int result = real_fdatasync(fd);
    if (result == 0) file_event("sync", fd);
    return result;
}

int rename(const char *from, const char *to) {
    REAL(rename);
    int result = real_rename(from, to);
    if (result == 0) {
        char a[4096], b[4096];
        record("rename", realpath_dir(from, a), realpath_dir(to, b));
    }
    return result;
}
