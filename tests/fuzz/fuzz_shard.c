/*
 * fuzz_shard: libFuzzer target for merge's reading of shards. The input
 * is up to three parts separated by a line "--8<--": a shard's
 * shard.json, its shard.bin and its scenario.cfg; the shard is written into
 * a private folder and merged, with a second copy of it, into an output
 * folder there. A refusal is fine: what is checked is no crash, no
 * undefined behaviour (the sanitizers), and nothing written but the output
 * folder. Seeds are real shards of the small scenario (make fuzz). Built
 * and run by `make fuzz`.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/site/site.h"
#include "sim/study/outdir.h"
#include "sim/study/shard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

static void put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(p, 1, n, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/gigasim-fuzz-shard-XXXXXX");
        if (!mkdtemp(root))
            abort();
    }
    static const char cut[] = "\n--8<--\n";
    const uint8_t *part[3] = {data, NULL, NULL};
    size_t len[3] = {size, 0, 0};
    for (int k = 1; k < 3; k++) {
        const uint8_t *at = part[k - 1] ? memmem(part[k - 1], len[k - 1], cut, sizeof cut - 1) : NULL;
        if (!at)
            break;
        part[k] = at + sizeof cut - 1;
        len[k] = len[k - 1] - (size_t)(part[k] - part[k - 1]);
        len[k - 1] = (size_t)(at - part[k - 1]);
    }
    static const char *const names[] = {"shard.json", "shard.bin", "scenario.cfg"};
    char a[128], b[128], out[128];
    snprintf(a, sizeof a, "%s/a", root);
    snprintf(b, sizeof b, "%s/b", root);
    snprintf(out, sizeof out, "%s/merged", root);
    mkdir(a, 0700);
    mkdir(b, 0700);
    for (int k = 0; k < 3; k++)
        if (part[k]) {
            put(a, names[k], part[k], len[k]);
            put(b, names[k], part[k], len[k]);
        }
    const char *shards[] = {a, b};
    sim_err err;
    sim_merge(&site_app, shards, 2, out, "gigasim fuzz", &err);
    DIR *d = opendir(root); /* nothing but the two shards and the merged run */
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "a") && strcmp(e->d_name, "b") &&
            strcmp(e->d_name, "merged") && strcmp(e->d_name, ".merged.gigasim-lock"))
            abort();
    if (d)
        closedir(d);
    int rfd = open(root, O_RDONLY | O_DIRECTORY);
    if (rfd < 0 || sim_remove_tree_at(rfd, "a") || sim_remove_tree_at(rfd, "b") || sim_remove_tree_at(rfd, "merged"))
        abort();
    close(rfd);
    return 0;
}
