#include "sim/study/shard.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/interrupt.h"
#include "sim/study/outdir.h"
#include "sim/study/scenario.h"

#define SHARD_KIND "gigasim shard"

static int byte_order_little(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

/* shard.bin: every replication's metrics, then every replication's series, then every replication's yearly
 * table, as doubles; and their SHA-256. */
static int write_shard_bin(const char *path, const sim_layout *lay, const sim_results *res, char *data_hex,
                           sim_err *err)
{
    FILE *f = sim_create_file(path, NULL);
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    size_t nm = res->n_reps * lay->n_metrics, ns = res->n_reps * lay->n_steps * lay->n_series,
           nt = res->n_reps * sim_table_cells(lay);
    int rc = 0;
    if (fwrite(res->metrics, sizeof(double), nm, f) != nm || fwrite(res->series, sizeof(double), ns, f) != ns ||
        (nt && fwrite(res->table, sizeof(double), nt, f) != nt) || fflush(f) != 0)
        rc = sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    if (fclose(f) != 0 && rc == 0)
        rc = sim_errf(err, "%s: write failed", path);
    sim_sha256 h;
    unsigned char d[SIM_SHA256_BYTES];
    sim_sha256_init(&h);
    sim_sha256_update(&h, res->metrics, nm * sizeof(double));
    sim_sha256_update(&h, res->series, ns * sizeof(double));
    if (nt)
        sim_sha256_update(&h, res->table, nt * sizeof(double));
    sim_sha256_final(&h, d);
    sim_sha256_hex(d, data_hex);
    return rc;
}

/* The manifest's "files read" lines ("SHA256  PATH" each) into the array fs. */
static int add_files_read(cJSON *fs, const char *manifest, sim_err *err)
{
    for (const char *p = strstr(manifest, "\nfiles read\n") + 12; *p;) {
        size_t k = strcspn(p, "\n");
        char *line = sim_alloc(k + 1, err);
        if (!line)
            return sim_err_oom_for(err, "the shard's list of files");
        memcpy(line, p, k);
        line[k] = '\0';
        cJSON_AddItemToArray(fs, cJSON_CreateString(line));
        free(line);
        p += k + (p[k] == '\n');
    }
    return 0;
}

/* shard.json: what the shard is (kind, writer, scenario, job, files read, data, replications, layout). */
static cJSON *shard_meta(const sim_run_info *info, const sim_layout *lay, const sim_results *res, size_t first,
                         const char *version, const char *manifest, size_t len, const char *data, sim_err *err)
{
    unsigned char d[SIM_SHA256_BYTES];
    char job[SIM_SHA256_HEX], seed_text[24];
    sim_sha256_of(manifest, len, d);
    sim_sha256_hex(d, job);
    snprintf(seed_text, sizeof seed_text, "%llu", (unsigned long long)info->seed);
    cJSON *root = cJSON_CreateObject(), *ms = NULL, *ss = NULL, *fs = NULL;
    if (!root || !cJSON_AddStringToObject(root, "kind", SHARD_KIND) ||
        !cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION) ||
        !cJSON_AddStringToObject(root, "gigasim", version) ||
        !cJSON_AddStringToObject(root, "scenario", info->scenario_name) ||
        !cJSON_AddStringToObject(root, "scenario_file", info->scenario_file) ||
        !cJSON_AddStringToObject(root, "job", job) || !(fs = cJSON_AddArrayToObject(root, "files_read")) ||
        !cJSON_AddStringToObject(root, "data_sha256", data) ||
        !cJSON_AddStringToObject(root, "seed", seed_text) ||
        !cJSON_AddNumberToObject(root, "first", (double)first) ||
        !cJSON_AddNumberToObject(root, "count", (double)res->n_reps) ||
        !cJSON_AddNumberToObject(root, "n_steps", (double)lay->n_steps) ||
        !cJSON_AddNumberToObject(root, "step_days", lay->step_days) ||
        !cJSON_AddNumberToObject(root, "table_cells", (double)sim_table_cells(lay)) ||
        !cJSON_AddStringToObject(root, "byte_order", byte_order_little() ? "little" : "big") ||
        !(ms = cJSON_AddArrayToObject(root, "metrics")) || !(ss = cJSON_AddArrayToObject(root, "series"))) {
        sim_errf(err, "out of memory describing the shard");
        cJSON_Delete(root);
        return NULL;
    }
    if (add_files_read(fs, manifest, err)) {
        cJSON_Delete(root);
        return NULL;
    }
    for (size_t m = 0; m < lay->n_metrics; m++)
        cJSON_AddItemToArray(ms, cJSON_CreateString(lay->metrics[m].name));
    for (size_t c = 0; c < lay->n_series; c++)
        cJSON_AddItemToArray(ss, cJSON_CreateString(lay->series_names[c]));
    return root;
}

int sim_shard_write(sim_outdir *o, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                    const sim_results *res, size_t first, const char *version, sim_err *err)
{
    sim_outdir od = *o; /* committed or aborted here: the caller's is done with */
    o->tmp[0] = o->tmp_name[0] = '\0';
    o->parent_fd = o->lock_fd = o->dir_fd = -1;
    const char *dir = od.dir;
    char path[4200], data[SIM_SHA256_HEX];
    cJSON *root = NULL;
    size_t len = 0;
    char *manifest = NULL;
    snprintf(path, sizeof path, "%s/scenario.cfg", od.tmp);
    int rc = sim_cfg_write(cfg, path, err) || !(manifest = sim_cfg_manifest(cfg, &len, err)) ? -1 : 0;
    snprintf(path, sizeof path, "%s/shard.bin", od.tmp);
    if (rc == 0)
        rc = write_shard_bin(path, lay, res, data, err);
    if (rc == 0 && !(root = shard_meta(info, lay, res, first, version, manifest, len, data, err)))
        rc = -1;
    snprintf(path, sizeof path, "%s/shard.json", od.tmp);
    if (rc == 0)
        rc = sim_json_write(root, path, err);
    if (rc == 0 && sim_interrupted())
        rc = sim_errf(err, "interrupted while writing %s: no output written", dir);
    if (rc == 0)
        rc = sim_outdir_commit(&od, err);
    free(manifest);
    cJSON_Delete(root);
    if (rc)
        sim_outdir_abort(&od);
    return rc;
}

/* ------------------------------------------------------------------ merge */

typedef struct shard {
    const char *dir;
    cJSON *meta;
    char *manifest; /* rebuilt from its scenario.cfg and files_read */
    size_t first, count;
} shard;

static int by_first(const void *a, const void *b)
{
    const shard *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The two shards are of the same run: what differs, named. */
static int same_run(const shard *a, const shard *b, sim_err *err)
{
    static const char *const keys[] = {"gigasim", "byte_order", "seed"};
    static const char *const what[] = {"gigasim versions", "byte orders", "seeds"};
    for (int i = 0; i < 3; i++)
        if (strcmp(sim_json_get_str(a->meta, keys[i], ""), sim_json_get_str(b->meta, keys[i], "")))
            return sim_errf(err, "%s and %s are shards of different %s (%s, %s)", a->dir, b->dir, what[i],
                            sim_json_get_str(a->meta, keys[i], ""), sim_json_get_str(b->meta, keys[i], ""));
    if (strcmp(sim_json_get_str(a->meta, "job", ""), sim_json_get_str(b->meta, "job", ""))) {
        char why[1200];
        sim_manifest_difference(a->manifest, a->dir, b->manifest, b->dir, why, sizeof why);
        return sim_errf(err, "%s and %s are shards of different jobs: %s", a->dir, b->dir, why);
    }
    if (sim_json_get_num(a->meta, "n_steps", -1) != sim_json_get_num(b->meta, "n_steps", -1) ||
        sim_json_get_num(a->meta, "table_cells", -1) != sim_json_get_num(b->meta, "table_cells", -1) ||
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a->meta, "metrics")) !=
            cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b->meta, "metrics")))
        return sim_errf(err, "%s and %s have different layouts", a->dir, b->dir);
    return 0;
}

/* The shard's manifest, from its resolved scenario and the files it read:
 * its SHA-256 must be the job it says it is (else a file was edited or
 * damaged after it was written). */
static int shard_manifest(shard *sh, sim_err *err)
{
    char path[4200];
    size_t len;
    snprintf(path, sizeof path, "%s/scenario.cfg", sh->dir);
    char *text = sim_read_file(path, &len, err);
    if (!text)
        return -1;
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(sh->meta, "files_read"), *it;
    size_t n = 0;
    const char *lines[4096];
    cJSON_ArrayForEach(it, files)
    {
        if (!cJSON_IsString(it) || n == 4096) {
            free(text);
            return sim_errf(err, "%s/shard.json: files_read: not a list of files", sh->dir);
        }
        lines[n++] = it->valuestring;
    }
    sh->manifest = sim_manifest_of(text, len, lines, n, &len, err);
    free(text);
    if (!sh->manifest)
        return -1;
    unsigned char d[SIM_SHA256_BYTES];
    char hex[SIM_SHA256_HEX];
    sim_sha256_of(sh->manifest, len, d);
    sim_sha256_hex(d, hex);
    if (strcmp(hex, sim_json_get_str(sh->meta, "job", "")))
        return sim_errf(err, "%s: its scenario.cfg or shard.json was changed after the shard was written (they are not "
                             "the job %.12s... it ran)",
                        sh->dir, sim_json_get_str(sh->meta, "job", "?"));
    return 0;
}

/* Reads COUNT replications' metrics, series and tables from shard.bin into
 * res (rows first ..), checking its size and its SHA-256. */
static int read_data(const shard *sh, sim_results *res, size_t nm, size_t ns, const sim_layout *lay, sim_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/shard.bin", sh->dir);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return sim_errf(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    size_t nt = sim_table_cells(lay), c = sh->count, want = c * (nm + ns + nt) * sizeof(double);
    int rc = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = sim_errf(err, "%s: not a regular file (a directory, a device or a pipe)", path);
    else if ((size_t)st.st_size != want)
        rc = sim_errf(err, "%s: %lld bytes, but its shard.json says %zu replications of %zu metrics, %zu x %zu "
                           "series and %zu table cells (%zu bytes): damaged or cut short",
                      path, (long long)st.st_size, c, nm, lay->n_steps, lay->n_series, nt, want);
    sim_sha256 h;
    sim_sha256_init(&h);
    struct { void *p; size_t n; } part[3] = {{res->metrics + sh->first * nm, c * nm * sizeof(double)},
                                             {res->series + sh->first * ns, c * ns * sizeof(double)},
                                             {nt ? res->table + sh->first * nt : NULL, c * nt * sizeof(double)}};
    for (int k = 0; k < 3 && rc == 0; k++) {
        size_t got = 0;
        while (got < part[k].n && rc == 0) {
            ssize_t r = read(fd, (char *)part[k].p + got, part[k].n - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                rc = sim_errf(err, "%s: cannot read: %s", path, r < 0 ? strerror(errno) : "cut short");
            else
                got += (size_t)r;
            if (sim_interrupted())
                rc = sim_errf(err, "interrupted while reading %s: no output written", path);
        }
        if (part[k].n)
            sim_sha256_update(&h, part[k].p, part[k].n);
    }
    close(fd);
    if (rc)
        return -1;
    unsigned char d[SIM_SHA256_BYTES];
    char hex[SIM_SHA256_HEX];
    sim_sha256_final(&h, d);
    sim_sha256_hex(d, hex);
    if (strcmp(hex, sim_json_get_str(sh->meta, "data_sha256", "")))
        return sim_errf(err, "%s: its SHA-256 is not the one its shard.json records: damaged", path);
    return 0;
}

/* The files the merge's own load of the resolved scenario read (bases,
 * their includes, hourly files) are those the shards read, byte for byte:
 * else the merged run would not be the shards' job. */
static int same_files_now(const shard *sh, sim_cfg *cfg, const char *cfg_path, sim_err *err)
{
    size_t len;
    char *now = sim_cfg_manifest(cfg, &len, err);
    if (!now)
        return -1;
    char real[PATH_MAX];
    const char *self = realpath(cfg_path, real) ? real : cfg_path;
    int rc = 0;
    const char *p = strstr(now, "\nfiles read\n"), *was = strstr(sh->manifest, "\nfiles read\n");
    for (p = p ? p + 12 : ""; *p && rc == 0;) {
        size_t k = strcspn(p, "\n");
        if (k > 66 && !(k - 66 == strlen(self) && !strncmp(p + 66, self, k - 66))) {
            const char *at = NULL; /* the shard's line of the same path */
            for (const char *q = was ? was + 12 : ""; *q && !at;) {
                size_t kq = strcspn(q, "\n");
                if (kq == k && !strncmp(q + 64, p + 64, k - 64))
                    at = q;
                q += kq + (q[kq] == '\n');
            }
            if (!at)
                rc = sim_errf(err, "%.*s: read by the merge but by none of the shards: rerun them", (int)(k - 66), p + 66);
            else if (strncmp(at, p, 64))
                rc = sim_errf(err, "%.*s changed after the shards were run (its SHA-256 is now %.12s..., was %.12s...): "
                                   "rerun them, or restore it",
                              (int)(k - 66), p + 66, p, at);
        }
        p += k + (p[k] == '\n');
    }
    free(now);
    return rc;
}

/* Shard i's shard.json: a range of replications, written by this gigasim, the same run as the first. */
static int read_shard(shard *sh, size_t i, const char *dir, const char *version, sim_err *err)
{
    char path[4200];
    size_t len;
    snprintf(path, sizeof path, "%s/shard.json", dir);
    char *text = sim_read_file(path, &len, err);
    sh[i].dir = dir;
    sh[i].meta = text ? cJSON_Parse(text) : NULL;
    free(text);
    int rc = 0;
    if (!text)
        rc = sim_err_prefix(err, "%s is not a shard (gigasim run --replications FIRST:COUNT writes one)", dir);
    else if (!sh[i].meta || strcmp(sim_json_get_str(sh[i].meta, "kind", ""), SHARD_KIND))
        rc = sim_errf(err, "%s: not a gigasim shard", path);
    else {
        double first = sim_json_get_num(sh[i].meta, "first", -1), count = sim_json_get_num(sh[i].meta, "count", -1);
        if (!(first >= 0 && count >= 1 && first + count <= 1e9 && first == floor(first) && count == floor(count)))
            rc = sim_errf(err, "%s: first %g, count %g: not a range of replications", path, first, count);
        else {
            sh[i].first = (size_t)first;
            sh[i].count = (size_t)count;
        }
    }
    if (rc == 0 && strcmp(sim_json_get_str(sh[i].meta, "gigasim", ""), version))
        rc = sim_errf(err, "%s was written by %s, this is %s: rerun it with this gigasim", dir,
                      sim_json_get_str(sh[i].meta, "gigasim", ""), version);
    if (rc == 0)
        rc = shard_manifest(&sh[i], err);
    if (rc == 0 && i > 0)
        rc = same_run(&sh[0], &sh[i], err);
    return rc;
}

/* The shards (sorted by their first replication) cover 0 .. total - 1 once each. */
static int shards_tile(const shard *sh, size_t n, size_t *total, sim_err *err)
{
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        if (sh[i].first > next)
            return sim_errf(err, "replications %zu to %zu are in no shard", next, sh[i].first - 1);
        if (sh[i].first < next)
            return sim_errf(err, "%s and %s both hold replications %zu to %zu", sh[i - 1].dir, sh[i].dir, sh[i].first,
                            (next < sh[i].first + sh[i].count ? next : sh[i].first + sh[i].count) - 1);
        next = sh[i].first + sh[i].count;
    }
    *total = next;
    return 0;
}

/* Every shard's metrics and series into res (its layout checked against the scenario's, its size capped). */
static int gather(const shard *sh, size_t n, size_t total, const sim_layout *lay, sim_results *res, sim_err *err)
{
    size_t nm = lay->n_metrics, ns = lay->n_steps * lay->n_series, nt = sim_table_cells(lay);
    if ((double)lay->n_steps != sim_json_get_num(sh[0].meta, "n_steps", -1) ||
        (double)nt != sim_json_get_num(sh[0].meta, "table_cells", -1) ||
        (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sh[0].meta, "metrics")) != nm)
        return sim_errf(err, "%s: its layout is not its scenario's", sh[0].dir);
    double bytes = (double)total * (double)(nm + ns + nt) * sizeof(double);
    if (bytes > SIM_MAX_KEPT_BYTES)
        return sim_errf(err, "%zu replications would keep %.1f GiB in memory; the cap is %lld GiB", total,
                        bytes / (1 << 30), SIM_MAX_KEPT_BYTES >> 30);
    res->n_reps = total;
    res->metrics = sim_calloc(total * nm, sizeof(double), err);
    res->series = sim_calloc(total * ns, sizeof(double), err);
    res->table = nt ? sim_calloc(total * nt, sizeof(double), err) : NULL;
    if (!res->metrics || !res->series || (nt && !res->table))
        return sim_err_oom_for(err, "merging %zu replications", total);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = read_data(&sh[i], res, nm, ns, lay, err);
    return rc;
}

int sim_merge(const sim_app *app, const char *const *dirs, size_t n, const char *out_dir, const char *version,
              sim_err *err)
{
    if (n == 0)
        return sim_errf(err, "merge needs at least one shard");
    struct stat out_st, in_st; /* the merged run may not replace one of its shards (it could not be merged again) */
    for (size_t i = 0; i < n && stat(out_dir, &out_st) == 0; i++)
        if (stat(dirs[i], &in_st) == 0 && in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
            return sim_errf(err, "-o %s is the shard %s: the merged run goes into a directory of its own", out_dir,
                            dirs[i]);
    shard *sh = sim_calloc(n, sizeof *sh, err);
    if (!sh)
        return -1;
    int rc = 0;
    sim_scenario sc;
    memset(&sc, 0, sizeof sc);
    sim_results res;
    memset(&res, 0, sizeof res);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = read_shard(sh, i, dirs[i], version, err);
    size_t total = 0;
    if (rc == 0) {
        qsort(sh, n, sizeof *sh, by_first);
        rc = shards_tile(sh, n, &total, err);
    }
    /* the scenario, from the resolved copy every shard carries, reading the files the shards read */
    char cfg_path[4200];
    snprintf(cfg_path, sizeof cfg_path, "%s/scenario.cfg", sh[0].dir ? sh[0].dir : "");
    if (rc == 0)
        rc = sim_scenario_load(app, cfg_path, NULL, 0, &sc, err);
    if (rc == 0)
        rc = same_files_now(&sh[0], sc.cfg, cfg_path, err);
    sim_layout lay;
    if (rc == 0) {
        app->layout(sc.model, &lay);
        rc = gather(sh, n, total, &lay, &res, err);
    }
    if (rc == 0) {
        sim_facts facts = {0};
        if (app->facts)
            app->facts(sc.model, res.metrics, res.n_reps, &facts);
        sim_run_info info = {sim_json_get_str(sh[0].meta, "scenario", ""),
                             sim_json_get_str(sh[0].meta, "scenario_file", ""),
                             (uint64_t)strtoull(sim_json_get_str(sh[0].meta, "seed", ""), NULL, 10), &facts};
        rc = sim_write_outputs(out_dir, sc.cfg, &info, &lay, &res, err);
    }
    sim_results_free(&res);
    if (sc.cfg)
        sim_scenario_free(app, &sc);
    for (size_t i = 0; i < n; i++) {
        cJSON_Delete(sh[i].meta);
        free(sh[i].manifest);
    }
    free(sh);
    return rc;
}
