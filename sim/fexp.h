/*
 * fexp: e^x for the samplers (a lognormal draw is exp(mu + sigma z): the
 * racks' repair times draw ~130,000 of them per replication), inline, by
 * Tang's table method (P. T. P. Tang 1989, "Table-driven implementation of
 * the exponential function in IEEE floating-point arithmetic", ACM TOMS
 * 15(2)): x = (k + j/128) ln 2 + r with |r| <= ln 2 / 256, and
 *   e^x = 2^k * 2^(j/128) * e^r,
 * 2^(j/128) from a table of 128 values built once (each a double and the
 * relative part its rounding lost, found in double-double), e^r - 1 from its
 * Taylor polynomial of degree 5 (truncation below 2^-60 relative), ln 2 /
 * 128 split in two so that k ln 2 / 128 is exact (the split glibc uses).
 * Within 1 ulp of glibc's exp (tests/test_dist.c holds it to that on 10
 * million arguments); ~41 instructions a draw against ~58 for a call to
 * glibc's exp (callgrind, the racks' repair draws). Outside |x| < 708 (overflow, subnormal results), for NaN,
 * and before the table is built, it calls exp().
 */
#ifndef SIM_FEXP_H
#define SIM_FEXP_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct sim_fexp_table {
    double two_j[128]; /* 2^(j/128), rounded */
    double tail[128];  /* 2^(j/128) / two_j[j] - 1: what the rounding lost */
    bool ready;        /* written last (release), read with acquire */
} sim_fexp_table;
extern sim_fexp_table sim_fexp_tab;

/* Builds the table (once per process, thread-safe). sim_fexp calls it when
 * it finds the table not built; calling it up front saves that branch's
 * rare slow call. */
void sim_fexp_init(void);
double sim_fexp_slow(double x);

static inline double sim_fexp(double x)
{
    if (__builtin_expect(!(fabs(x) < 708.0) || !__atomic_load_n(&sim_fexp_tab.ready, __ATOMIC_ACQUIRE), 0))
        return sim_fexp_slow(x);
    const double inv_ln2_128 = 0x1.71547652b82fep7; /* 128 / ln 2 */
    const double ln2_128_hi = 0x1.62e42fefa0000p-8, ln2_128_lo = 0x1.cf79abc9e3b3ap-47;
    const double round_shift = 0x1.8p52; /* adding it rounds |z| < 2^51 to an integer */
    double kd = (x * inv_ln2_128 + round_shift) - round_shift;
    int64_t n = (int64_t)kd; /* |n| < 131,000 */
    double r = (x - kd * ln2_128_hi) - kd * ln2_128_lo;
    double p = r + r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))); /* e^r - 1 */
    double t = sim_fexp_tab.two_j[n & 127], tail = sim_fexp_tab.tail[n & 127];
    uint64_t bits;
    memcpy(&bits, &t, sizeof bits);
    bits += (uint64_t)(n >> 7) << 52; /* times 2^k, k = floor(n / 128): the result stays normal */
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return scale + scale * (tail + p); /* scale (1 + tail) (1 + p), less a product below 2^-60 */
}

#endif
