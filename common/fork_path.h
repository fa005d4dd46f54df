#ifndef CONCBENCH_FORK_PATH_H
#define CONCBENCH_FORK_PATH_H

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Marks code that a forked child runs for its task: the processes model's child from fork to
 * _exit and the task plumbing it calls. A child has none of the program's code mapped until it
 * runs it (fork copies no page-table entries of a file's mapping), so each 64 KiB window of code
 * it touches costs a page fault, ~16 us on a VM (measured). GCC keeps hot functions together, in
 * the text that follows the PLT the child's calls go through anyway: one or two faults for the
 * whole path instead of one per file. */
#define FORK_PATH __attribute__((hot))

/* A system call made by such a child without going through libc: each libc wrapper sits on a
 * page of libc's code that the child would fault in for that one call (prctl, getppid and write
 * were three faults of their own). Returns the result, or -errno (never sets errno). */
static inline long fork_path_syscall3(long nr, long a, long b, long c)
{
#if defined(__x86_64__)
    long r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
#elif defined(__aarch64__)
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
#else
    long r = syscall(nr, a, b, c);
    return r < 0 ? -errno : r;
#endif
}

#endif
