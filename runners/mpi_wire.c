/* The mpi model's lines from rank 0 to the launcher (runners/mpi_wire.h): records in hex, the
 * rest as words. */
#include "runners/mpi_wire.h"

#include <stdlib.h>
#include <string.h>

static void put_hex(FILE *out, const void *p, size_t len)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < len; i++)
        fprintf(out, "%02x", b[i]);
}

/* Exactly len bytes of hex at *s, moving *s past them; -1 when they are not there. */
static int get_hex(const char **s, void *p, size_t len)
{
    unsigned char *b = p;

    for (size_t i = 0; i < len; i++) {
        char pair[3] = {(*s)[0], 0, 0};
        char *end;
        if (pair[0] == '\0' || (*s)[1] == '\0')
            return -1;
        pair[1] = (*s)[1];
        b[i] = (unsigned char)strtoul(pair, &end, 16);
        if (*end != '\0')
            return -1;
        *s += 2;
    }
    return 0;
}

void mpi_wire_rank(FILE *out, const struct mpi_rank_info *r)
{
    fprintf(out, MPI_WIRE_TAG "rank %d host %s up %.9f offset %.9f uncertainty %.9f\n", r->rank,
            r->host, r->up_s, r->offset_s, r->uncertainty_s);
}

void mpi_wire_task(FILE *out, const struct task_record *rec, const struct task_detail *d)
{
    fputs(MPI_WIRE_TAG "task ", out);
    put_hex(out, rec, sizeof(*rec));
    if (d != NULL) {
        fputc(' ', out);
        put_hex(out, d, sizeof(*d));
    }
    fputc('\n', out);
}

static int parse_rank(const char *s, struct mpi_rank_info *r)
{
    char host[MPI_HOST_LEN];

    memset(r, 0, sizeof(*r));
    if (sscanf(s, "%d host %63s up %lf offset %lf uncertainty %lf", &r->rank, host, &r->up_s,
               &r->offset_s, &r->uncertainty_s) != 5 ||
        r->rank < 0)
        return 0;
    memcpy(r->host, host, sizeof(host));
    return 1;
}

static int parse_task(const char *s, struct task_record *rec, struct task_detail *d,
                      int *has_detail)
{
    *has_detail = 0;
    if (get_hex(&s, rec, sizeof(*rec)) != 0)
        return 0;
    if (*s == '\0')
        return 2;
    if (*s != ' ' || (s++, get_hex(&s, d, sizeof(*d))) != 0 || *s != '\0')
        return 0;
    d->error[TASK_ERROR_LEN - 1] = '\0'; /* text from another process: bounded here */
    *has_detail = 1;
    return 2;
}

int mpi_wire_parse(const char *line, struct mpi_rank_info *r, struct task_record *rec,
                   struct task_detail *d, int *has_detail)
{
    size_t tag = strlen(MPI_WIRE_TAG);

    if (strncmp(line, MPI_WIRE_TAG, tag) != 0)
        return 0;
    line += tag;
    if (strncmp(line, "rank ", 5) == 0)
        return parse_rank(line + 5, r);
    if (strncmp(line, "task ", 5) == 0)
        return parse_task(line + 5, rec, d, has_detail);
    return strcmp(line, "end") == 0 ? 3 : 0;
}
