/* Without libFuzzer (a gcc build, the sanitizer builds of CI): runs a fuzz target's entry point
 * over every file in the folders (or files) named on the command line, so that the seeds and
 * every crash fuzzing ever found (tests/fuzz/NAME/regressions/) stay tests. Exits 0 when every
 * input ran; a crash or a sanitizer report ends it with an error. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long len = -1;
    size_t got = 0;

    if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL)
        got = fread(buf, 1, (size_t)len, f);
    if (f != NULL)
        fclose(f);
    if (buf == NULL || got != (size_t)len) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, got);
    free(buf);
    return 0;
}

/* Replays path, or every regular file in it when it is a folder; adds to *count. */
static int replay(const char *path, int *count)
{
    struct stat st;
    struct dirent *e;
    DIR *d;
    int failed = 0;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        ++*count;
        return replay_file(path);
    }
    if ((d = opendir(path)) == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char full[4096];

        if (e->d_name[0] == '.') /* ., .. and .gitkeep */
            continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        failed |= replay(full, count) != 0;
    }
    closedir(d);
    return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    int failed = 0, count = 0;

    for (int i = 1; i < argc; i++)
        failed |= replay(argv[i], &count) != 0;
    printf("replay: %d inputs, all ran\n", count);
    return failed || count == 0;
}
