#include "sim/present/print.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/core/interrupt.h"
#include "sim/study/outdir.h"

/* Chromium: $CHROMIUM (an absolute path) or Debian's. */
static const char *chromium(void)
{
    const char *env = getenv("CHROMIUM");
    if (env && *env == '/')
        return env;
    return access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
}

/* file:// and the absolute path, every byte but the unreserved ones and '/' percent-encoded. */
static void file_url(char *out, size_t n, const char *path)
{
    size_t o = snprintf(out, n, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < n; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                     strchr("/-._~", *p);
        if (plain)
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, n - o, "%%%02X", *p);
    }
    out[o < n ? o : n - 1] = '\0';
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs argv; waits at most timeout_s, stopping it on an interrupt. 0: it exited 0. */
static int run_waiting(char *const argv[], double timeout_s, bool quiet, sim_err *err)
{
    (void)quiet; /* Chromium talks on stderr whatever it does: kept aside, shown when it fails */
    char tmpl[] = "/tmp/gigasim-chromium-XXXXXX";
    int said_fd = mkstemp(tmpl);
    if (said_fd >= 0)
        unlink(tmpl);
    pid_t pid = fork();
    if (pid < 0) {
        if (said_fd >= 0)
            close(said_fd);
        return sim_errf(err, "cannot start %s: %s", argv[0], strerror(errno));
    }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0)
            dup2(null, 1);
        if (said_fd >= 0)
            dup2(said_fd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    pid_t got;
    double t0 = now_s();
    while ((got = waitpid(pid, &status, WNOHANG)) == 0 && !sim_interrupted() && now_s() - t0 < timeout_s)
        usleep(20000);
    char said[600] = "";
    if (said_fd >= 0) {
        struct stat st;
        off_t at = fstat(said_fd, &st) == 0 && st.st_size > 500 ? st.st_size - 500 : 0;
        ssize_t k = pread(said_fd, said, sizeof said - 1, at);
        said[k > 0 ? k : 0] = '\0';
        close(said_fd);
    }
    if (got == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return sim_interrupted() ? sim_errf(err, "interrupted while printing the report: no PDF written")
                                 : sim_errf(err, "%s did not finish printing within %.0f s: no PDF written", argv[0],
                                            timeout_s);
    }
    if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return sim_errf(err, "%s failed printing the report (exit status %d): no PDF written%s%s", argv[0],
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1, *said ? "; it said: ..." : "", said);
    return 0;
}

/* The PDF at dfd/name is whole: it starts as a PDF does and ends with %%EOF. */
static bool pdf_whole(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    char head[8] = "", tail[40] = "";
    bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 64 &&
              pread(fd, head, 5, 0) == 5 && pread(fd, tail, 32, st.st_size - 32) == 32;
    if (fd >= 0)
        close(fd);
    tail[32] = '\0';
    for (int i = 0; i < 32; i++)
        tail[i] = tail[i] ? tail[i] : ' ';
    return ok && !memcmp(head, "%PDF-", 5) && strstr(tail, "%%EOF");
}

/* The report with the paper's @page rule, written into tdir (an fd) as print.html. */
static int print_copy(const char *dir, int tdir, const char *paper, sim_err *err)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/report.html", dir);
    size_t len;
    char *html = sim_read_file(path, &len, err);
    if (!html)
        return sim_err_prefix(err, "%s: run gigasim report first", dir);
    const char *rule = !strcmp(paper, "letter") ? "<style>@page{size:letter;margin:0.5in}</style>"
                                                : "<style>@page{size:A4;margin:12mm}</style>";
    char *head = strstr(html, "<head>");
    int fd = openat(tdir, "print.html", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int rc = 0;
    if (!head || !f)
        rc = sim_errf(err, "%s: %s", path, head ? "cannot write its printable copy" : "not a report gigasim wrote");
    else {
        size_t at = (size_t)(head - html) + 6;
        fwrite(html, 1, at, f);
        fputs(rule, f);
        fwrite(html + at, 1, len - at, f);
    }
    if (f && fclose(f) != 0 && rc == 0)
        rc = sim_errf(err, "%s: cannot write its printable copy", path);
    else if (!f && fd >= 0)
        close(fd);
    free(html);
    return rc;
}

int sim_report_pdf(const char *dir, const char *paper, double timeout_s, bool quiet, sim_err *err)
{
    const char *browser = chromium();
    if (!browser)
        return sim_errf(err, "--pdf needs Chromium: install it (apt-get install chromium) or set CHROMIUM to its path");
    char real[PATH_MAX];
    if (!realpath(dir, real))
        return sim_errf(err, "%s: %s", dir, strerror(errno));
    for (const unsigned char *c = (const unsigned char *)real; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return sim_errf(err, "%s: a path with a control character cannot be given to Chromium", dir);
    sim_outdir od;
    if (sim_outdir_lock(&od, dir, err))
        return -1;
    /* a directory of studies (no result of its own) may hold a report.pdf of the user's: never replaced */
    static const char *const RESULTS[] = {"summary.json", "compare.json", "sweep.json", "sensitivity.json"};
    bool results = false;
    struct stat st;
    for (int k = 0; k < 4; k++)
        results |= fstatat(od.dir_fd, RESULTS[k], &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!results && fstatat(od.dir_fd, "report.pdf", &st, AT_SYMLINK_NOFOLLOW) == 0) {
        sim_outdir_unlock(&od);
        return sim_errf(err, "%s/report.pdf: already there, in a directory of studies that may be the user's: it "
                             "is left as it is (remove it to print again)",
                        dir);
    }
    char name[64];
    snprintf(name, sizeof name, ".report-pdf.gigasim-tmp-%ld", (long)getpid());
    int tdir = mkdirat(od.dir_fd, name, 0700) == 0
                   ? openat(od.dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                   : -1;
    int rc = tdir < 0 ? sim_errf(err, "%s: cannot create a directory to print in: %s", dir, strerror(errno)) : 0;
    if (rc == 0)
        rc = print_copy(dir, tdir, paper, err);
    char page[PATH_MAX + 128], url[3 * PATH_MAX + 256], profile[PATH_MAX + 160], out[PATH_MAX + 160];
    snprintf(page, sizeof page, "%s/%s/print.html", real, name);
    file_url(url, sizeof url, page);
    snprintf(profile, sizeof profile, "--user-data-dir=%s/%s/profile", real, name);
    snprintf(out, sizeof out, "--print-to-pdf=%s/%s/report.pdf", real, name);
    char *argv[] = {(char *)browser,        "--headless",       "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", profile,           out,            url,
                    NULL};
    if (rc == 0)
        rc = run_waiting(argv, timeout_s, quiet, err);
    if (rc == 0 && !pdf_whole(tdir, "report.pdf"))
        rc = sim_errf(err, "%s printed an incomplete PDF: none written", browser);
    if (rc == 0 && renameat(tdir, "report.pdf", od.dir_fd, "report.pdf") != 0)
        rc = sim_errf(err, "%s/report.pdf: cannot write: %s", dir, strerror(errno));
    if (tdir >= 0)
        close(tdir);
    sim_remove_tree_at(od.dir_fd, name);
    sim_outdir_unlock(&od);
    return rc;
}
