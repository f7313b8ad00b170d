/*
 * fuzz_report: libFuzzer target for the report writer. The first byte
 * chooses the result file the rest becomes in a private run folder ('c'
 * compare.json, 's' sweep.json, 'e' sensitivity.json, else summary.json),
 * with a scenario.cfg of the small scenario beside it; the report is
 * written with no chart scripts to run (GIGASIM_PLOTS names an empty
 * folder). Checked: whatever the fields hold, the page's markup is the
 * page's own: every tag is one the writer writes, and there are exactly
 * its two scripts. A violation aborts. Built and run by `make fuzz`.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/site/site.h"
#include "sim/study/outdir.h"
#include "sim/present/report.h"
#include "sim/core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

/* The tags the writer writes (without charts). */
static const char *const TAGS[] = {"html", "head", "meta", "title", "style", "script", "body", "header", "h1", "h2",
                                   "h3", "p", "nav", "a", "section", "table", "caption", "thead", "tbody", "tr", "th",
                                   "td", "details", "summary", "ul", "li", "strong", "code", "small", "br", "wbr",
                                   "figure", "figcaption", "pre", "div", "footer", "span", "em", "sup", "abbr"};

static void check_page(const char *page)
{
    int scripts = 0;
    for (const char *p = page; (p = strchr(p, '<')) != NULL; p++) {
        const char *t = p + 1;
        if (*t == '/')
            t++;
        if (*t == '!') /* the doctype */
            continue;
        size_t n = 0;
        while (isalnum((unsigned char)t[n]))
            n++;
        int known = 0;
        for (size_t i = 0; i < sizeof TAGS / sizeof *TAGS && !known; i++)
            known = strlen(TAGS[i]) == n && !strncmp(TAGS[i], t, n);
        if (!known)
            abort(); /* markup from the data */
        if (t == p + 1 && ((n == 6 && !strncmp(t, "script", 6)) || (n == 5 && !strncmp(t, "style", 5)))) {
            scripts += n == 6;
            const char *end = strstr(t, n == 6 ? "</script>" : "</style>"); /* their text is the writer's own */
            if (!end)
                abort();
            p = end;
        }
    }
    if (scripts != 2)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/gigasim-fuzz-report-XXXXXX");
        if (!mkdtemp(root))
            abort();
        char plots[128];
        snprintf(plots, sizeof plots, "%s/no-plots", root);
        mkdir(plots, 0700);
        setenv("GIGASIM_PLOTS", plots, 1);
    }
    if (size < 1)
        return 0;
    char dir[128], path[256];
    snprintf(dir, sizeof dir, "%s/run", root);
    mkdir(dir, 0700);
    const char *name = data[0] == 'c' ? "compare.json" : data[0] == 's' ? "sweep.json" : data[0] == 'e' ? "sensitivity.json"
                                                                                                        : "summary.json";
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/scenario.cfg", dir);
    f = fopen(path, "w");
    if (!f)
        abort();
    fputs("name = \"small\";\nbase = \"tests/data/small.cfg\"; // [GRID-ERCO-2022] assumption\n", f);
    fclose(f);
    sim_report_info info = {"build/fuzz/fuzz_report", "gigasim fuzz", site_app.metrics, site_app.n_metrics, true};
    sim_err err;
    if (sim_report(dir, &info, &err) == 0) {
        snprintf(path, sizeof path, "%s/report.html", dir);
        char *page = sim_read_file(path, NULL, &err);
        if (!page)
            abort();
        check_page(page);
        free(page);
    }
    int rfd = open(root, O_RDONLY | O_DIRECTORY);
    if (rfd < 0 || sim_remove_tree_at(rfd, "run") != 0)
        abort();
    close(rfd);
    return 0;
}
