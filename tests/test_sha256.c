/* SHA-256 (sim/core/sha256.h) against the examples of FIPS 180-4 and, for
 * inputs split at every block boundary, against the same input in one call
 * and against coreutils' sha256sum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/sha256.h"
#include "test.h"

static void hex_of(const char *text, size_t n, char out[SIM_SHA256_HEX])
{
    unsigned char d[SIM_SHA256_BYTES];
    sim_sha256_of(text, n, d);
    sim_sha256_hex(d, out);
}

TEST(sha256_gives_the_standards_digests)
{
    static const struct { const char *text, *want; } cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char got[SIM_SHA256_HEX];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        hex_of(cases[i].text, strlen(cases[i].text), got);
        CHECK(!strcmp(got, cases[i].want), "SHA-256(\"%s\") = %s, want %s", cases[i].text, got, cases[i].want);
    }
    /* a million 'a's, fed in pieces of 997 bytes */
    char piece[997];
    memset(piece, 'a', sizeof piece);
    sim_sha256 s;
    sim_sha256_init(&s);
    size_t left = 1000000;
    while (left) {
        size_t k = left < sizeof piece ? left : sizeof piece;
        sim_sha256_update(&s, piece, k);
        left -= k;
    }
    unsigned char d[SIM_SHA256_BYTES];
    sim_sha256_final(&s, d);
    sim_sha256_hex(d, got);
    CHECK(!strcmp(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
          "SHA-256 of a million 'a's = %s", got);
}

TEST(sha256_in_pieces_equals_one_call_and_sha256sum)
{
    /* every length from 0 to 300 bytes (each padding case around 55, 56, 64, 119, 120), split at every point */
    unsigned char buf[300];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 131 + 7);
    for (size_t n = 0; n <= sizeof buf; n++) {
        unsigned char whole[SIM_SHA256_BYTES];
        sim_sha256_of(buf, n, whole);
        for (size_t cut = 0; cut <= n; cut += n > 130 ? 17 : 1) {
            sim_sha256 s;
            unsigned char d[SIM_SHA256_BYTES];
            sim_sha256_init(&s);
            sim_sha256_update(&s, buf, cut);
            sim_sha256_update(&s, buf + cut, n - cut);
            sim_sha256_final(&s, d);
            CHECK(!memcmp(d, whole, sizeof d), "%zu bytes split at %zu differ from one call", n, cut);
        }
    }
    char path[600], cmd[800], out[256], got[SIM_SHA256_HEX];
    snprintf(path, sizeof path, "%s/sha256.bin", test_tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(buf, 1, sizeof buf, f) == sizeof buf && fclose(f) == 0, "cannot write %s", path);
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "sha256sum: %s", out);
    unsigned char d[SIM_SHA256_BYTES];
    sim_sha256_of(buf, sizeof buf, d);
    sim_sha256_hex(d, got);
    CHECK(!strncmp(out, got, 64), "sha256sum says %.64s, sim_sha256 %s", out, got);
}
