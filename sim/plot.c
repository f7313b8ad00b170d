#include "plot.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int find_plots_dir(const char *argv0, char *out, size_t n)
{
    const char *env = getenv("GIGASIM_PLOTS");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return is_dir(out) ? 0 : -1;
    }
    char exe[PATH_MAX - 16];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
    } else {
        snprintf(exe, sizeof exe, "%s", argv0);
    }
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        snprintf(out, n, "%s/../plots", exe);
        if (is_dir(out))
            return 0;
    }
    snprintf(out, n, "plots");
    return is_dir(out) ? 0 : -1;
}

static bool gnuplot_on_path(void)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    char buf[PATH_MAX];
    const char *p = path;
    while (*p) {
        const char *c = strchr(p, ':');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)len, p);
        if (access(buf, X_OK) == 0)
            return true;
        p += len;
        if (*p == ':')
            p++;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "datadir='...'; nreps=N; m_x=...; ..." from summary.json */
static char *gnuplot_vars(const char *run_dir, const char *plots_dir, sim_err *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/summary.json", run_dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        sim_errf(err, "%s: cannot open: %s (is this a gigasim run directory?)", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t cap = 0, len = 0;
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (sim_grow((void **)&text, &cap, len + k + 1, 1, err)) {
            fclose(f);
            free(text);
            return NULL;
        }
        memcpy(text + len, chunk, k);
        len += k;
    }
    fclose(f);
    if (!text) {
        sim_errf(err, "%s: empty file", path);
        return NULL;
    }
    text[len] = '\0';
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root) {
        sim_errf(err, "%s: not valid JSON", path);
        return NULL;
    }
    size_t out_cap = 8192, off = 0;
    char *out = sim_alloc(out_cap, err);
    if (!out) {
        cJSON_Delete(root);
        return NULL;
    }
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(root, "replications");
    int k0 = snprintf(out + off, out_cap - off, "datadir='%s'; plotsdir='%s'; nreps=%d; ", run_dir, plots_dir,
                      cJSON_IsNumber(reps) ? (int)reps->valuedouble : 1);
    if (k0 < 0 || (size_t)k0 >= out_cap) {
        free(out);
        cJSON_Delete(root);
        sim_errf(err, "run directory path too long for gnuplot");
        return NULL;
    }
    off += (size_t)k0;
    for (const cJSON *it = root->child; it; it = it->next) {
        if (!cJSON_IsObject(it))
            continue;
        const cJSON *p50 = cJSON_GetObjectItemCaseSensitive(it, "p50");
        char line[256];
        int n = snprintf(line, sizeof line, "m_%s=%.10g; ", it->string, cJSON_IsNumber(p50) ? p50->valuedouble : -1.0);
        if (n < 0 || (size_t)n >= sizeof line)
            continue;
        if (sim_grow((void **)&out, &out_cap, off + (size_t)n + 1, 1, err)) {
            free(out);
            cJSON_Delete(root);
            return NULL;
        }
        memcpy(out + off, line, (size_t)n + 1);
        off += (size_t)n;
    }
    cJSON_Delete(root);
    return out;
}

int sim_plot(const char *run_dir, const char *argv0, int *n_written, sim_err *err)
{
    *n_written = 0;
    if (strchr(run_dir, '\'') || strchr(run_dir, '"') || strlen(run_dir) > 2000)
        return sim_errf(err, "%s: a directory name with quotes cannot be passed to gnuplot", run_dir);
    if (!gnuplot_on_path())
        return sim_errf(err, "gnuplot is not installed (or not on PATH): install it with 'apt-get install gnuplot-nox'");
    char pdir[PATH_MAX];
    if (find_plots_dir(argv0, pdir, sizeof pdir) != 0)
        return sim_errf(err, "cannot find the plots/ directory with the gnuplot scripts (set GIGASIM_PLOTS)");
    char *vars = gnuplot_vars(run_dir, pdir, err);
    if (!vars)
        return -1;
    DIR *d = opendir(pdir);
    if (!d) {
        free(vars);
        return sim_errf(err, "%s: cannot read: %s", pdir, strerror(errno));
    }
    char *names[256];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > 3 && strcmp(de->d_name + l - 3, ".gp") == 0 && de->d_name[0] != '_')
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (!names[i])
            continue;
        char script[PATH_MAX + 256];
        snprintf(script, sizeof script, "%s/%s", pdir, names[i]);
        pid_t pid = fork();
        if (pid < 0) {
            rc = sim_errf(err, "cannot start gnuplot: %s", strerror(errno));
            break;
        }
        if (pid == 0) {
            execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            rc = sim_errf(err, "gnuplot failed on %s (exit status %d)", script,
                          WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            break;
        }
        (*n_written)++;
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(vars);
    return rc;
}
