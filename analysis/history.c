/* Opening the history database, its schema version and migrations, and adding runs to it
 * (history.h), once for both backends (history_internal.h). */
#include "analysis/history.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/history_internal.h"
#include "analysis/history_sql.h"
#include "common/hash.h"
#include "rmodel/case_key.h"

/* How many times a write transaction is tried when another writer is in the way (SQLite busy
 * past its timeout, a PostgreSQL serialization failure or deadlock) before giving up. */
#define HIST_TRIES 8

const char *histi_text(const struct histi_row *r, int col)
{
    return r->ops->text(r, col);
}

double histi_num(const struct histi_row *r, int col)
{
    return r->ops->num(r, col);
}

int histi_exec(struct hist *h, const char *sql, char *err, size_t errlen)
{
    char *text = hist_sql_text(h->ops->dialect, sql);
    int rc;

    if (text == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rc = h->ops->exec(h, text, err, errlen);
    free(text);
    return rc;
}

int histi_query(struct hist *h, const char *sql, const char *const *params, int n, histi_row_fn fn,
                void *arg, char *err, size_t errlen)
{
    char *text = hist_sql_text(h->ops->dialect, sql);
    int rc;

    if (text == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rc = h->ops->query(h, text, params, n, fn, arg, err, errlen);
    free(text);
    return rc;
}

static void hist_row_ll(const struct histi_row *r, void *arg)
{
    const char *v = histi_text(r, 0);

    *(long long *)arg = v ? strtoll(v, NULL, 10) : 0;
}

int histi_query_ll(struct hist *h, const char *sql, const char *const *params, int n,
                   long long *out, char *err, size_t errlen)
{
    *out = 0;
    return histi_query(h, sql, params, n, hist_row_ll, out, err, errlen) < 0 ? -1 : 0;
}

int hist_is_postgresql(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

/* The target as messages show it: a URL's password (user:PASSWORD@, password=) hidden. */
static void hist_display_name(const char *target, char *out, size_t len)
{
    const char *scheme = strstr(target, "://"), *at, *colon;
    char *pw;

    snprintf(out, len, "%s", target);
    if (scheme == NULL)
        return;
    at = strchr(scheme + 3, '@');
    colon = strchr(scheme + 3, ':');
    if (at != NULL && colon != NULL && colon < at)
        snprintf(out, len, "%.*s:***%s", (int)(colon - target), target, at);
    if ((pw = strstr(out, "password=")) != NULL) {
        size_t end = strcspn(pw + 9, "&");
        memmove(pw + 9 + 3, pw + 9 + end, strlen(pw + 9 + end) + 1);
        memcpy(pw + 9, "***", 3);
    }
}

int hist_schema_version(struct hist *h, int *version, char *err, size_t errlen)
{
    long long has = 0, v = 0;

    if (histi_query_ll(h, hist_sql_has_version_table, NULL, 0, &has, err, errlen) != 0 ||
        histi_query_ll(h, has ? hist_sql_version : hist_sql_legacy_version, NULL, 0, &v, err,
                       errlen) != 0)
        return -1;
    *version = (int)v;
    return 0;
}

/* Rolls back after a failure, keeping the failure's message and whether it was transient. */
static void hist_rollback(struct hist *h)
{
    char ignored[256];
    int transient = h->transient;

    h->ops->exec(h, "ROLLBACK;", ignored, sizeof(ignored));
    h->transient = transient;
}

/* Runs body in a write transaction, tried again (after a short random wait) while it fails on
 * another writer. body's result (>= 0), or -1 with a message. */
static int hist_transaction(struct hist *h, int (*body)(struct hist *, void *, char *, size_t),
                            void *arg, char *err, size_t errlen)
{
    for (int attempt = 0;; attempt++) {
        int rc = -1;

        if (h->ops->exec(h, hist_sql_begin_write(h->ops->dialect), err, errlen) == 0) {
            rc = body(h, arg, err, errlen);
            if (rc < 0)
                hist_rollback(h);
            else if (h->ops->exec(h, "COMMIT;", err, errlen) != 0) {
                hist_rollback(h);
                rc = -1;
            }
        }
        if (rc >= 0 || !h->transient || attempt + 1 >= HIST_TRIES)
            return rc;
        struct timespec ts = {0, (long)(10 + rand() % 40) * 1000000L * (attempt + 1)};
        nanosleep(&ts, NULL);
    }
}

static void hist_row_id_doc(const struct histi_row *r, void *arg)
{
    struct histi_docs *b = arg;
    const char *id = histi_text(r, 0), *doc = histi_text(r, 1);

    if (b->n == b->cap) {
        int cap = b->cap ? b->cap * 2 : 64;
        long long *ids = realloc(b->ids, cap * sizeof(*ids));
        char **docs = ids ? realloc(b->docs, cap * sizeof(*docs)) : NULL;
        if (ids)
            b->ids = ids;
        if (docs == NULL)
            return;
        b->docs = docs;
        b->cap = cap;
    }
    b->ids[b->n] = id ? strtoll(id, NULL, 10) : -1;
    b->docs[b->n++] = rm_strdup(doc ? doc : "");
}

static int hist_put_machine(struct hist *h, const struct hist_machine *m, char *err, size_t errlen)
{
    char cpus[32];
    const char *p[6] = {m->key, m->host, m->cpu_model, cpus, m->kernel, m->labels};

    snprintf(cpus, sizeof(cpus), "%lld", m->logical_cpus);
    return histi_query(h, hist_sql_insert_machine, p, 6, NULL, NULL, err, errlen) < 0 ? -1 : 0;
}

int histi_read_docs(struct hist *h, const char *sql, struct histi_docs *b, char *err, size_t errlen)
{
    memset(b, 0, sizeof(*b));
    if (histi_query(h, sql, NULL, 0, hist_row_id_doc, b, err, errlen) < 0) {
        histi_docs_free(b);
        return -1;
    }
    return 0;
}

void histi_docs_free(struct histi_docs *b)
{
    for (int i = 0; i < b->n; i++)
        free(b->docs[i]);
    free(b->ids);
    free(b->docs);
    memset(b, 0, sizeof(*b));
}

/* Migration 2's data: the runs stored before machines get theirs from their documents. */
static int hist_backfill_machines(struct hist *h, char *err, size_t errlen)
{
    struct histi_docs b;
    int rc = 0;

    if (histi_read_docs(h, hist_sql_runs_without_machine, &b, err, errlen) != 0)
        return -1;
    for (int i = 0; i < b.n; i++) {
        char id[32], branch[128], why[256];
        int not_json;
        struct rm_file *f =
            rc == 0 ? rm_from_text(b.docs[i], "stored run", &not_json, why, sizeof(why)) : NULL;
        if (f != NULL) {
            struct hist_machine m;
            const char *p[3] = {id, m.key, NULL};
            hist_machine_of(f, NULL, &m);
            hist_branch_of(f, branch, sizeof(branch));
            p[2] = branch[0] ? branch : NULL;
            snprintf(id, sizeof(id), "%lld", b.ids[i]);
            if (hist_put_machine(h, &m, err, errlen) != 0 ||
                histi_query(h, hist_sql_set_run_machine, p, 3, NULL, NULL, err, errlen) < 0)
                rc = -1;
            rm_free(f);
        }
    }
    histi_docs_free(&b);
    return rc;
}

static int hist_refuse_newer(struct hist *h, int version, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "%s: history schema version %d is newer than this concbench's (%d): use a newer "
             "concbench; the database was left untouched",
             h->path, version, HIST_SCHEMA_VERSION);
    return -1;
}

/* Inside the write transaction: the version read again (another job may have migrated it
 * meanwhile), then every migration from it to ours, and the new version stamped. */
static int hist_migrate_body(struct hist *h, void *arg, char *err, size_t errlen)
{
    int version;
    char *stamp;
    (void)arg;

    if (histi_exec(h, hist_sql_migrate_lock, err, errlen) != 0 ||
        hist_schema_version(h, &version, err, errlen) != 0)
        return -1;
    if (version > HIST_SCHEMA_VERSION)
        return hist_refuse_newer(h, version, err, errlen);
    for (int v = version; v < HIST_SCHEMA_VERSION; v++) {
        if (histi_exec(h, hist_sql_migrations[v], err, errlen) != 0)
            return -1;
        if (v + 1 == 2 && hist_backfill_machines(h, err, errlen) != 0)
            return -1;
        if (v + 1 == 3 && histi_backfill_figures(h, err, errlen) != 0)
            return -1;
    }
    if (version == HIST_SCHEMA_VERSION)
        return 0;
    if ((stamp = hist_sql_stamp(h->ops->dialect, HIST_SCHEMA_VERSION)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = histi_exec(h, stamp, err, errlen);
    free(stamp);
    return rc;
}

/* Creates or migrates the schema; a newer one is refused before anything is written. */
static int hist_schema(struct hist *h, int create, char *err, size_t errlen)
{
    int version;

    if (hist_schema_version(h, &version, err, errlen) != 0)
        return -1;
    if (version > HIST_SCHEMA_VERSION)
        return hist_refuse_newer(h, version, err, errlen);
    if (version == HIST_SCHEMA_VERSION)
        return 0;
    if (version == 0 && !create) {
        snprintf(err, errlen,
                 "%s: history schema version 0, this concbench reads version %d (an empty or "
                 "foreign database: add a run to it first)",
                 h->path, HIST_SCHEMA_VERSION);
        return -1;
    }
    return hist_transaction(h, hist_migrate_body, NULL, err, errlen) < 0 ? -1 : 0;
}

int hist_open(struct hist *h, const char *target, int create, char *err, size_t errlen)
{
    memset(h, 0, sizeof(*h));
    srand((unsigned)getpid() ^ (unsigned)time(NULL)); /* writers retrying wait apart */
    h->ops = hist_is_postgresql(target) ? &histi_pg_ops : &histi_sqlite_ops;
    hist_display_name(target, h->path, sizeof(h->path));
    if (h->ops->open(h, target, create, err, errlen) != 0) {
        h->ops = NULL;
        return -1;
    }
    if ((h->ops == &histi_sqlite_ops && histi_exec(h, "PRAGMA foreign_keys = ON;", err, errlen)) ||
        hist_schema(h, create, err, errlen) != 0) {
        hist_close(h);
        return -1;
    }
    return 0;
}

void hist_close(struct hist *h)
{
    if (h->ops != NULL)
        h->ops->close(h);
    h->ops = NULL;
}

static const char *hist_ci(const struct rm_file *f, const char *key)
{
    for (int i = 0; f->context && i < f->context->nci; i++)
        if (strcmp(f->context->ci[i].key, key) == 0 && f->context->ci[i].value != NULL)
            return f->context->ci[i].value;
    return NULL;
}

void hist_machine_of(const struct rm_file *f, const char *name, struct hist_machine *m)
{
    static const char *const label_keys[] = {"RUNNER_NAME", "RUNNER_OS", "CI_RUNNER_DESCRIPTION"};
    const struct rm_context *x = f->context;
    uint64_t d = HASH_FNV1A_INIT;
    size_t n = 0;

    memset(m, 0, sizeof(*m));
    snprintf(m->host, sizeof(m->host), "%s", x && x->host ? x->host : "unknown");
    snprintf(m->cpu_model, sizeof(m->cpu_model), "%s", x && x->cpu_model ? x->cpu_model : "");
    snprintf(m->kernel, sizeof(m->kernel), "%s", x && x->kernel ? x->kernel : "");
    m->logical_cpus = x ? x->logical_cpus : 0;
    if (name != NULL && name[0] != '\0') {
        snprintf(m->labels, sizeof(m->labels), "name=%s", name);
        snprintf(m->key, sizeof(m->key), "%s", name);
        return;
    }
    for (size_t i = 0; i < sizeof(label_keys) / sizeof(label_keys[0]); i++) {
        const char *v = hist_ci(f, label_keys[i]);
        if (v != NULL && n < sizeof(m->labels))
            n += snprintf(m->labels + n, sizeof(m->labels) - n, "%s%s=%s", n ? "," : "",
                          label_keys[i], v);
    }
    char all[1024];
    int len = snprintf(all, sizeof(all), "%s\n%s\n%lld\n%s\n%s", m->host, m->cpu_model,
                       m->logical_cpus, m->kernel, m->labels);
    d = hash_fnv1a(d, all, len < (int)sizeof(all) ? (size_t)len : sizeof(all) - 1);
    snprintf(m->key, sizeof(m->key), "%.100s-%08" PRIx32, m->host, (uint32_t)(d ^ (d >> 32)));
}

void hist_branch_of(const struct rm_file *f, char *branch, size_t len)
{
    const char *ref = hist_ci(f, "GITHUB_REF"), *gl = hist_ci(f, "CI_COMMIT_REF_NAME");

    if (ref != NULL && strncmp(ref, "refs/heads/", 11) == 0)
        snprintf(branch, len, "%s", ref + 11);
    else if (ref != NULL)
        snprintf(branch, len, "%s", ref);
    else
        snprintf(branch, len, "%s", gl ? gl : "");
}

int hist_digest(const struct rm_file *f, char digest[24])
{
    char *doc = rm_to_text(f, RM_TEXT_STORED);

    if (doc == NULL)
        return -1;
    snprintf(digest, 24, "%016" PRIx64, hash_fnv1a(HASH_FNV1A_INIT, doc, strlen(doc)));
    free(doc);
    return 0;
}

const char *histi_num_param(char *buf, size_t len, double v)
{
    if (isnan(v))
        return NULL;
    snprintf(buf, len, "%.17g", v);
    return buf;
}

const char *histi_count_param(char *buf, size_t len, double v)
{
    if (isnan(v))
        return NULL;
    snprintf(buf, len, "%.0f", v);
    return buf;
}

struct hist_add_job {
    const struct rm_file *f;
    const char *source, *doc;
    const struct hist_add_opts *o;
    long long run_id;
};

static int hist_add_case(struct hist *h, long long run_id, const struct rm_file *f,
                         const struct rm_case *c, char *err, size_t errlen)
{
    char key[CK_KEY_MAX], id[32], valid[8], reps[32], med[40], lo[40], hi[40], sp[40], no[40];
    char ins[40];
    char *samples = rm_samples_text(&c->fig[RM_WALL]);
    struct hist_figures x;
    int rc;

    hist_figures_of(f, c, &x);
    ck_key(c, key, sizeof(key));
    snprintf(id, sizeof(id), "%lld", run_id);
    snprintf(valid, sizeof(valid), "%d", rm_valid(c) ? 1 : 0);
    snprintf(reps, sizeof(reps), "%lld", (long long)c->reps_done);
    const char *p[13] = {id,
                         key,
                         c->workload,
                         c->label,
                         valid,
                         reps,
                         histi_num_param(med, sizeof(med), x.median),
                         histi_num_param(lo, sizeof(lo), x.lo),
                         histi_num_param(hi, sizeof(hi), x.hi),
                         histi_num_param(sp, sizeof(sp), x.speedup),
                         samples ? samples : "[]",
                         histi_num_param(no, sizeof(no), x.normalized),
                         histi_count_param(ins, sizeof(ins), x.instructions)};
    rc = histi_query(h, hist_sql_insert_case, p, 13, NULL, NULL, err, errlen);
    free(samples);
    return rc < 0 ? -1 : 0;
}

/* Inside the write transaction: the machine, the run (1 inserted, 0 there already), its cases. */
static int hist_add_body(struct hist *h, void *arg, char *err, size_t errlen)
{
    struct hist_add_job *j = arg;
    const struct rm_context *x = j->f->context;
    struct hist_machine m;
    char digest[24], branch[256], kernel[80];
    long long id = -1;
    int rows;

    hist_machine_of(j->f, j->o ? j->o->machine : NULL, &m);
    if (j->o && j->o->branch)
        snprintf(branch, sizeof(branch), "%s", j->o->branch);
    else
        hist_branch_of(j->f, branch, sizeof(branch));
    snprintf(digest, sizeof(digest), "%016" PRIx64,
             hash_fnv1a(HASH_FNV1A_INIT, j->doc, strlen(j->doc)));
    const char *p[10] = {digest,
                         x ? x->git_commit : NULL,
                         x ? x->date : NULL,
                         x ? x->host : NULL,
                         x ? x->cpu_model : NULL,
                         j->source,
                         j->doc,
                         m.key,
                         branch[0] ? branch : NULL,
                         rm_kernel_id(j->f, kernel, sizeof(kernel)) == 0 ? kernel : NULL};
    if (hist_put_machine(h, &m, err, errlen) != 0)
        return -1;
    rows = histi_query(h, hist_sql_insert_run, p, 10, hist_row_ll, &id, err, errlen);
    if (rows < 0)
        return -1;
    if (rows == 0) { /* stored already: its id */
        if (histi_query_ll(h, hist_sql_run_by_digest, p, 1, &id, err, errlen) != 0)
            return -1;
        j->run_id = id;
        return 0;
    }
    j->run_id = id;
    for (int i = 0; i < j->f->ncases; i++)
        if (hist_add_case(h, id, j->f, &j->f->cases[i], err, errlen) != 0)
            return -1;
    return 1;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int hist_date_ok(const char *s)
{
    /* 2026-12-06T10:06:55[.fraction](Z|+HH:MM|-HH:MM) */
    if (s == NULL || strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
        s[7] != '-' || !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
        s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return 0;
    if (num2(s + 5) < 1 || num2(s + 5) > 12 || num2(s + 8) < 1 || num2(s + 8) > 31 ||
        num2(s + 11) > 23 || num2(s + 14) > 59 || num2(s + 17) > 60)
        return 0;
    s += 19;
    if (*s == '.') {
        if (!isdigit((unsigned char)*++s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
        return 1;
    return (*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) &&
           s[6] == '\0' && num2(s + 1) <= 23 && num2(s + 4) <= 59;
}

/* What keeps f out of the history: an unusable date, or a run that is not whole. */
static int hist_addable(const struct rm_file *f, int allow_partial, char *err, size_t errlen)
{
    const char *date = f->context != NULL ? f->context->date : NULL;
    const char *why = NULL;

    if (!hist_date_ok(date)) {
        snprintf(err, errlen,
                 "not added: context.date %s%.40s%s is not an RFC 3339 date like "
                 "2026-12-06T10:06:55Z (the history orders runs by it)",
                 date ? "'" : "", date ? date : "is missing and", date ? "'" : "");
        return -1;
    }
    if (allow_partial)
        return 0;
    if (f->interrupted)
        why = "interrupted run";
    else if (!rm_complete(f))
        why = "partial run (not complete)";
    else if (f->ncases == 0)
        why = "no case in it";
    for (int i = 0; why == NULL && i < f->ncases; i++)
        if (f->cases[i].reps_done <= 0)
            why = "a case without a measured repetition";
    if (why == NULL)
        return 0;
    snprintf(err, errlen, "not added: %s; --allow-partial keeps it (never as latest)", why);
    return -1;
}

int hist_add_as(struct hist *h, const struct rm_file *f, const char *source,
                const struct hist_add_opts *o, long long *run_id, char *err, size_t errlen)
{
    struct hist_add_job j = {f, source, NULL, o, -1};
    char *doc;
    int added;

    *run_id = -1;
    if (hist_addable(f, o != NULL && o->allow_partial, err, errlen) != 0)
        return -1;
    if ((doc = rm_to_text(f, RM_TEXT_STORED)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    j.doc = doc;
    added = hist_transaction(h, hist_add_body, &j, err, errlen);
    if (added < 0 && strstr(err, "cannot add the run") == NULL) {
        char why[768];
        snprintf(why, sizeof(why), "%s", err);
        snprintf(err, errlen, "cannot add the run: %s", why);
    }
    *run_id = j.run_id;
    free(doc);
    return added;
}

int hist_add(struct hist *h, const struct rm_file *f, const char *source, int allow_partial,
             long long *run_id, char *err, size_t errlen)
{
    struct hist_add_opts o = {NULL, NULL, allow_partial};

    return hist_add_as(h, f, source, &o, run_id, err, errlen);
}
