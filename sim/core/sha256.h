/*
 * sha256: the SHA-256 digest (FIPS 180-4), for the identity of a job (its
 * resolved scenario and the content of every file it read), the checksum of
 * a shard's data and the report's script hashes (Content-Security-Policy).
 *
 * Incremental: init, update any number of times, final. Checked against the
 * standard's examples ("abc", the 448-bit message, a million 'a's) in
 * tests/test_sha256.c.
 */
#ifndef SIM_SHA256_H
#define SIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SIM_SHA256_BYTES 32
#define SIM_SHA256_HEX (2 * SIM_SHA256_BYTES + 1)

typedef struct sim_sha256 {
    uint32_t h[8];
    uint64_t n_bytes;
    unsigned char block[64];
    size_t fill;
} sim_sha256;

void sim_sha256_init(sim_sha256 *s);
void sim_sha256_update(sim_sha256 *s, const void *data, size_t n);
void sim_sha256_final(sim_sha256 *s, unsigned char out[SIM_SHA256_BYTES]);

/* The digest of data in one call, and a digest as 64 lower-case hex digits. */
void sim_sha256_of(const void *data, size_t n, unsigned char out[SIM_SHA256_BYTES]);
void sim_sha256_hex(const unsigned char d[SIM_SHA256_BYTES], char out[SIM_SHA256_HEX]);

#endif
