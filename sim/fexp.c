#include "fexp.h"

#include <pthread.h>

sim_fexp_table sim_fexp_tab;

/* A double-double (hi + lo): enough for a table entry's tail, and the same
 * on every machine with a correct fma (long double is not: valgrind's x87
 * is 64-bit). */
typedef struct dd {
    double hi, lo;
} dd;

static dd dd_mul(dd a, dd b)
{
    double p = a.hi * b.hi;
    double e = fma(a.hi, b.hi, -p) + (a.hi * b.lo + a.lo * b.hi); /* fma: the product's exact error */
    double s = p + e;
    return (dd){s, e - (s - p)};
}

/* two_j[j] = exp2(j / 128) as a double x = 2^(j/128) (1 + eps); x^128 in
 * double-double is 2^j (1 + 128 eps) to ~2^-100, which gives eps, and
 * tail = 1 / (1 + eps) - 1 = -eps to within eps^2 (< 2^-104). */
static void build(void)
{
    for (int j = 0; j < 128; j++) {
        double x = exp2((double)j / 128.0);
        dd p = {x, 0.0};
        for (int k = 0; k < 7; k++)
            p = dd_mul(p, p);
        double two_pow_j = ldexp(1.0, j);
        double eps = ((p.hi - two_pow_j) + p.lo) / two_pow_j / 128.0; /* p.hi - 2^j is exact (Sterbenz) */
        sim_fexp_tab.two_j[j] = x;
        sim_fexp_tab.tail[j] = -eps;
    }
    __atomic_store_n(&sim_fexp_tab.ready, true, __ATOMIC_RELEASE);
}

void sim_fexp_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build);
}

double sim_fexp_slow(double x)
{
    if (!(fabs(x) < 708.0))
        return exp(x);
    sim_fexp_init();
    return sim_fexp(x);
}
