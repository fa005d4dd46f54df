/* concbench history publish: the static site of a history (report/publish.h). A 15% step on one
 * machine is listed on the index at its commit and marked on its case's chart, a flat machine has
 * none; every run a point links to has its section; strings from hostile results files stay text;
 * bad folders are refused. Headless chromium loads the index and a workload page from file://
 * (one chart per case, the step marked, screenshots kept in the build folder as artefacts), and
 * that part is skipped with a message where chromium is not installed. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rmodel/rmodel.h"
#include "testutil.h"

#define OUT_LEN (1 << 20)

static char out[OUT_LEN], err[OUT_LEN];

/* The history of the step test, published once for the tests that read its site. */
static char db[256], site[256];

static int count(const char *text, const char *needle)
{
    int n = 0;

    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* The whole of a file, NUL-terminated, in buf. */
static void slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n;

    if (f == NULL)
        fail_msg("cannot open %s", path);
    n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* The path of the page of the workload whose file name starts with "w-" prefix. */
static void page_of(const char *dir, const char *prefix, char *path, size_t len)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    assert_non_null(d);
    path[0] = '\0';
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            snprintf(path, len, "%s/%s", dir, e->d_name);
    closedir(d);
    if (path[0] == '\0')
        fail_msg("no page %s* in %s", prefix, dir);
}

static int add_files(const char *to, char files[][256], int n)
{
    const char *argv[64] = {"history", "add", "--db", to};
    int a = 4;

    for (int i = 0; i < n && a < 62; i++)
        argv[a++] = files[i];
    argv[a] = NULL;
    return run_concbench(argv, 120, out, err, OUT_LEN);
}

static int publish(const char *from, const char *dir)
{
    const char *argv[] = {"history", "publish", "-o", dir, "--db", from, NULL};

    return run_concbench(argv, 120, out, err, OUT_LEN);
}

/* 20 runs of gatebox with a 15% step of pthreads at run 15, 12 flat runs of flatbox. */
static int setup_site(void **state)
{
    static char files[32][256];
    int n = 0;
    (void)state;

    for (int k = 0; k < 20; k++)
        synth_level_run(files[n++], sizeof(files[0]), "gatebox", k,
                        synth_noisy(k < 15 ? 1.0 : 1.15, k));
    for (int k = 0; k < 12; k++)
        synth_level_run(files[n++], sizeof(files[0]), "flatbox", 40 + k, synth_noisy(2.0, k));
    temp_path(db, sizeof(db), ".sqlite");
    if (add_files(db, files, n) != 0)
        fail_msg("history add: %s", err);
    for (int i = 0; i < n; i++)
        unlink(files[i]);
    temp_path(site, sizeof(site), "-site");
    if (publish(db, site) != 0)
        fail_msg("publish: %s%s", out, err);
    return 0;
}

static int teardown_site(void **state)
{
    char cmd[600];
    (void)state;

    unlink(db);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", site);
    return system(cmd) == 0 ? 0 : -1;
}

/* The index lists the one step, at its commit, as a regression; the flat machine has none. */
static void test_index(void **state)
{
    static char page[OUT_LEN];
    char path[512];
    (void)state;

    snprintf(path, sizeof(path), "%s/index.html", site);
    slurp(path, page, sizeof(page));
    assert_int_equal(count(page, "<tr class=\"change\">"), 1);
    assert_non_null(strstr(page, "regression +"));
    assert_non_null(strstr(page, "<code>gate015</code>"));
    assert_non_null(strstr(page, "cpu_bound/pthreads"));
    assert_int_equal(count(page, "No step change in any case"), 1);
    /* after the step the newest run has 4 runs of the new level: too few to judge */
    assert_non_null(strstr(page, "<td>insufficient</td>"));
    assert_int_equal(count(page, "<section class=\"machine\">"), 2);
    assert_non_null(strstr(page, "#case-0\"><code>cpu_bound/pthreads"));
    assert_non_null(strstr(out, "published 2 pages"));
}

/* The workload's page: a chart per case, a line per machine, the step marked at gate015, and a
 * section for every run a point links to. */
static void test_workload_page(void **state)
{
    static char page[OUT_LEN];
    char path[512];
    (void)state;

    page_of(site, "w-cpu_bound-", path, sizeof(path));
    slurp(path, page, sizeof(page));
    assert_int_equal(count(page, "<figure class=\"case\""), 2);
    assert_int_equal(count(page, "<svg class=\"trend\""), 2);
    assert_int_equal(count(page, "<polyline class=\"line\""), 4);
    assert_int_equal(count(page, "<path class=\"band\""), 4);
    assert_int_equal(count(page, "<g class=\"step "), 1);
    assert_non_null(strstr(page, "<g class=\"step up\">"));
    assert_non_null(strstr(page, "step up (slower) at gate015"));
    assert_int_equal(count(page, "<a href=\"#run-"), 64);
    assert_int_equal(count(page, "<section class=\"run\" id=\"run-"), 32);
    assert_non_null(strstr(page, "<dt>CPU</dt><dd>Test CPU</dd>"));
    /* self-contained: no script, nothing from the network */
    assert_int_equal(count(page, "<script"), 0);
    assert_int_equal(count(page, "http://") + count(page, "https://"), 0);
}

/* Every name in the folder is one publish makes from safe characters. */
static void assert_safe_names(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strcmp(n, "index.html") == 0)
            continue;
        if (strncmp(n, "w-", 2) != 0 || strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
                                                  "UVWXYZ0123456789_-.") != strlen(n))
            fail_msg("unexpected file name in the site: %s", n);
    }
    closedir(d);
}

/* Reads a page of the hostile site: no control character, no element from the file. */
static void slurp_text_only(const char *path, char *page, size_t len)
{
    slurp(path, page, len);
    assert_null(strchr(page, '\x1b'));
    assert_null(strchr(page, '\x07'));
    assert_null(strstr(page, "<img"));
    assert_null(strstr(page, "<b>"));
    assert_null(strstr(page, "<svg onload"));
    assert_null(strstr(page, "<title>x"));
    assert_int_equal(count(page, "<script"), 0);
}

/* Markup, quotes and escape sequences from a results file (host, commit, CPU, workload, label)
 * stay text on every page; the workload's name makes no path. */
static void test_hostile(void **state)
{
    static char page[OUT_LEN];
    char hdb[256], dir[256], files[2][256], path[512], cmd[600];
    (void)state;

    for (int k = 0; k < 2; k++) {
        struct rm_file *f = synth_file("h</script>\"'\x1b[31m",
                                       k ? "c</title><script>x\x1b]0;t\x07" : "c0ffee\"'\x1b[2J");
        struct rm_case *c;
        free(f->context->cpu_model);
        f->context->cpu_model = rm_strdup("cpu<img src=x onerror=alert(1)>\x1b]52;c;QQ==\x07");
        c = synth_case(f, "../<b>wl\x1b[1m", "sequential", 1.0 + k, 10, 1);
        free(c->label);
        c->label = rm_strdup("lab\"><svg onload=alert(1)>");
        synth_write(f, files[k], sizeof(files[k]));
    }
    temp_path(hdb, sizeof(hdb), ".sqlite");
    assert_int_equal(add_files(hdb, files, 2), 0);
    temp_path(dir, sizeof(dir), "-site");
    if (publish(hdb, dir) != 0)
        fail_msg("%s%s", out, err);
    assert_safe_names(dir);
    snprintf(path, sizeof(path), "%s/index.html", dir);
    slurp_text_only(path, page, sizeof(page));
    assert_non_null(strstr(page, "cpu&lt;img src=x"));
    assert_non_null(strstr(page, "h&lt;/script&gt;&quot;&#39;\\x1b[31m"));
    page_of(dir, "w-", path, sizeof(path));
    slurp_text_only(path, page, sizeof(page));
    assert_non_null(strstr(page, "&lt;b&gt;wl\\x1b[1m"));
    assert_non_null(strstr(page, "c&lt;/title&gt;&lt;script&gt;x\\x1b]0;t\\x07"));
    for (int k = 0; k < 2; k++)
        unlink(files[k]);
    unlink(hdb);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* -o: missing, a symbolic link, a file, in a missing folder; a metric it does not draw; a
 * database that is not there. */
static void test_bad_usage(void **state)
{
    char link[256], file[300], nodb[256];
    const char *no_o[] = {"history", "publish", "--db", db, NULL};
    const char *speedup[] = {"history", "publish", "-o", site, "--metric",
                             "speedup", "--db",    db,   NULL};
    (void)state;

    assert_int_equal(run_concbench(no_o, 60, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "publish needs -o DIR"));
    assert_int_equal(run_concbench(speedup, 60, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "--metric wall"));
    temp_path(link, sizeof(link), "-link");
    assert_int_equal(symlink(site, link), 0);
    assert_int_equal(publish(db, link), 2);
    assert_non_null(strstr(err, "is a symbolic link"));
    unlink(link);
    temp_path(file, sizeof(file), ".html");
    fclose(fopen(file, "w"));
    assert_int_equal(publish(db, file), 2);
    assert_non_null(strstr(err, "is not a folder"));
    unlink(file);
    assert_int_equal(publish(db, "/nonexistent/site"), 2);
    assert_non_null(strstr(err, "cannot create the folder /nonexistent/site"));
    temp_path(nodb, sizeof(nodb), ".sqlite");
    snprintf(file, sizeof(file), "%s-site", nodb);
    assert_int_equal(publish(nodb, file), 1);
    rmdir(file);
}

/* The browser: chromium or chromium-browser on PATH, "" when neither is. */
static void find_browser(char *path, size_t len)
{
    FILE *p = popen("command -v chromium || command -v chromium-browser", "r");

    path[0] = '\0';
    if (p == NULL)
        return;
    if (fgets(path, (int)len, p) != NULL)
        path[strcspn(path, "\n")] = '\0';
    pclose(p);
}

/* Headless chromium on file://page with a fresh profile and no network of its own; what (e.g.
 * "--dump-dom > FILE" or "--screenshot=FILE") says what it does. Its exit status. */
static int browse(const char *browser, const char *profile, const char *page, const char *what)
{
    char cmd[4096];

    snprintf(cmd, sizeof(cmd),
             "timeout 120 '%s' --headless --no-sandbox --disable-gpu --disable-quic "
             "--no-first-run --disable-background-networking --disable-component-update "
             "--disable-sync --hide-scrollbars --user-data-dir='%s' --window-size=1200,1600 %s "
             "'file://%s' 2>/dev/null",
             browser, profile, what, page);
    return system(cmd);
}

/* The index and the workload page, rendered: their DOM holds the changes, a chart per case and
 * the step; screenshots stay in the build folder (the test's working folder). */
static void test_browser(void **state)
{
    static char dom[OUT_LEN];
    char browser[512], profile[300], page[512], index[512], dump[256], what[600], cwd[512];
    struct stat st;
    (void)state;

    find_browser(browser, sizeof(browser));
    if (browser[0] == '\0') {
        printf("skipped: the site was not rendered in a browser: chromium is not installed "
               "(apt-get install chromium; scripts/install-deps.sh --test installs it)\n");
        skip();
    }
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    snprintf(profile, sizeof(profile), "%s-profile", site);
    temp_path(dump, sizeof(dump), ".html");
    snprintf(index, sizeof(index), "%s/index.html", site);
    page_of(site, "w-cpu_bound-", page, sizeof(page));
    snprintf(what, sizeof(what), "--dump-dom > '%s'", dump);
    assert_int_equal(browse(browser, profile, index, what), 0);
    slurp(dump, dom, sizeof(dom));
    assert_int_equal(count(dom, "<tr class=\"change\">"), 1);
    assert_non_null(strstr(dom, "gate015"));
    assert_int_equal(browse(browser, profile, page, what), 0);
    slurp(dump, dom, sizeof(dom));
    assert_int_equal(count(dom, "<figure class=\"case\""), 2);
    assert_int_equal(count(dom, "<svg class=\"trend\""), 2);
    assert_int_equal(count(dom, "<g class=\"step up\">"), 1);
    unlink(dump);
    snprintf(what, sizeof(what), "--screenshot='%s/history_publish_index.png'", cwd);
    assert_int_equal(browse(browser, profile, index, what), 0);
    snprintf(what, sizeof(what), "--screenshot='%s/history_publish_workload.png'", cwd);
    assert_int_equal(browse(browser, profile, page, what), 0);
    snprintf(what, sizeof(what), "%s/history_publish_workload.png", cwd);
    assert_int_equal(stat(what, &st), 0);
    assert_true(st.st_size > 0);
    snprintf(what, sizeof(what), "rm -rf '%s'", profile);
    assert_int_equal(system(what), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index),   cmocka_unit_test(test_workload_page),
        cmocka_unit_test(test_hostile), cmocka_unit_test(test_bad_usage),
        cmocka_unit_test(test_browser),
    };

    return cmocka_run_group_tests_name("history publish", tests, setup_site, teardown_site);
}
