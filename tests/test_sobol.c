/* Sobol' indices and Morris screening (sim/study/sobol.h) against functions whose
 * indices are known in closed form. */
#include <math.h>
#include <stdlib.h>

#include "sim/study/sobol.h"
#include "test.h"

/* Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x ~ U(-pi, pi)^3 (Ishigami & Homma 1990). */
static double ishigami(const double *u, double a, double b)
{
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1], x3 = -M_PI + 2 * M_PI * u[2];
    return sin(x1) + a * sin(x2) * sin(x2) + b * pow(x3, 4) * sin(x1);
}

TEST(sobol_ishigami_indices_within_their_intervals)
{
    /* a = 7, b = 0.1: V1 = 0.5 (1 + b pi^4 / 5)^2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50),
     * V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437. */
    const double a = 7, b = 0.1, pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8);
    double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    double s1[3] = {v1 / v, v2 / v, 0}, st[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    CHECK_NEAR(s1[0], 0.314, 0.001, "analytic S1 of x1");
    CHECK_NEAR(st[2], 0.244, 0.001, "analytic ST of x3");
    sim_err err;
    sim_sobol_design d;
    CHECK(sim_sobol_design_make(3, 4096, &d, &err) == 0, "%s", err.msg);
    size_t np = sim_sobol_points(&d);
    double *y = test_malloc(np * sizeof *y), u[3];
    for (size_t p = 0; p < np; p++) {
        sim_sobol_point(&d, p, u);
        y[p] = ishigami(u, a, b);
    }
    sim_sobol_index ix[3];
    double var;
    int rc = sim_sobol_indices(&d, y, 300, 1, ix, &var, &err);
    sim_sobol_design_free(&d);
    CHECK(rc == 0, "%s", err.msg);
    CHECK_NEAR(var, v, 0.02 * v, "the variance");
    for (int i = 0; i < 3; i++) {
        CHECK(ix[i].s1_lo <= s1[i] && s1[i] <= ix[i].s1_hi, "S1 of x%d: %.4f not in [%.4f, %.4f] (estimate %.4f)", i + 1,
              s1[i], ix[i].s1_lo, ix[i].s1_hi, ix[i].s1);
        CHECK(ix[i].st_lo <= st[i] && st[i] <= ix[i].st_hi, "ST of x%d: %.4f not in [%.4f, %.4f] (estimate %.4f)", i + 1,
              st[i], ix[i].st_lo, ix[i].st_hi, ix[i].st);
        CHECK_NEAR(ix[i].s1, s1[i], 0.03, "S1 estimate");
        CHECK_NEAR(ix[i].st, st[i], 0.03, "ST estimate");
        CHECK(ix[i].s1_hi - ix[i].s1_lo < 0.1 && ix[i].st_hi - ix[i].st_lo < 0.1, "x%d: intervals too wide to mean much",
              i + 1);
    }
}

TEST(sobol_linear_model_exact_indices)
{
    /* f = sum c_i x_i, x ~ U(0, 1): S1_i = ST_i = c_i^2 / sum c^2 (no interaction); a constant input gets 0. */
    const double c[4] = {4, 2, 1, 0};
    double tot = 0;
    for (int i = 0; i < 4; i++)
        tot += c[i] * c[i];
    sim_err err;
    sim_sobol_design d;
    CHECK(sim_sobol_design_make(4, 2048, &d, &err) == 0, "%s", err.msg);
    size_t np = sim_sobol_points(&d);
    double *y = test_malloc(np * sizeof *y), u[4];
    for (size_t p = 0; p < np; p++) {
        sim_sobol_point(&d, p, u);
        y[p] = 0;
        for (int i = 0; i < 4; i++)
            y[p] += c[i] * u[i];
    }
    sim_sobol_index ix[4];
    int rc = sim_sobol_indices(&d, y, 300, 7, ix, NULL, &err);
    sim_sobol_design_free(&d);
    CHECK(rc == 0, "%s", err.msg);
    for (int i = 0; i < 4; i++) {
        double want = c[i] * c[i] / tot;
        CHECK(ix[i].s1_lo <= want && want <= ix[i].s1_hi, "S1_%d %.4f not in [%.4f, %.4f]", i, want, ix[i].s1_lo,
              ix[i].s1_hi);
        CHECK(ix[i].st_lo <= want && want <= ix[i].st_hi, "ST_%d %.4f not in [%.4f, %.4f]", i, want, ix[i].st_lo,
              ix[i].st_hi);
        CHECK_NEAR(ix[i].s1, want, 0.01, "S1");
        CHECK_NEAR(ix[i].st, want, 0.01, "ST");
    }
    CHECK(ix[3].st == 0 && ix[3].s1 == 0, "a constant input: S1 %g, ST %g", ix[3].s1, ix[3].st);
    /* a constant model: no variance, every index 0 */
    CHECK(sim_sobol_design_make(2, 16, &d, &err) == 0, "%s", err.msg);
    double *z = test_malloc(sim_sobol_points(&d) * sizeof *z);
    for (size_t p = 0; p < sim_sobol_points(&d); p++)
        z[p] = 5;
    double var = -1;
    rc = sim_sobol_indices(&d, z, 10, 1, ix, &var, &err);
    sim_sobol_design_free(&d);
    CHECK(rc == 0 && var == 0 && ix[0].s1 == 0 && ix[1].st == 0, "constant model: V %g S1 %g ST %g", var, ix[0].s1,
          ix[1].st);
}

TEST(morris_linear_and_interaction)
{
    /* f = 3 u0 - 2 u1 + u2 u3: mu*_0 = 3, mu*_1 = 2, sigma 0 for both (linear); u4 unused: mu* 0;
     * u2 and u3 interact: sigma > 0. */
    sim_err err;
    sim_morris_design d;
    CHECK(sim_morris_design_make(5, 40, 3, &d, &err) == 0, "%s", err.msg);
    size_t np = sim_morris_points(&d);
    double *y = test_malloc(np * sizeof *y);
    for (size_t p = 0; p < np; p++) {
        const double *u = d.u + p * 5;
        for (int i = 0; i < 5; i++)
            CHECK(u[i] >= -1e-12 && u[i] <= 1 + 1e-12, "point %zu input %d off the grid: %g", p, i, u[i]);
        y[p] = 3 * u[0] - 2 * u[1] + u[2] * u[3];
    }
    sim_morris_index m[5];
    int rc = sim_morris_indices(&d, y, m, &err);
    sim_morris_design_free(&d);
    CHECK(rc == 0, "%s", err.msg);
    CHECK_NEAR(m[0].mu_star, 3, 1e-9, "mu* of 3 u0");
    CHECK_NEAR(m[0].mu, 3, 1e-9, "mu of 3 u0");
    CHECK_NEAR(m[1].mu_star, 2, 1e-9, "mu* of -2 u1");
    CHECK_NEAR(m[1].mu, -2, 1e-9, "mu of -2 u1");
    CHECK(m[0].sigma < 1e-9 && m[1].sigma < 1e-9, "linear inputs have no spread: %g %g", m[0].sigma, m[1].sigma);
    CHECK(m[4].mu_star == 0, "an unused input: mu* %g", m[4].mu_star);
    CHECK(m[2].sigma > 0.05 && m[3].sigma > 0.05, "interacting inputs: sigma %g %g", m[2].sigma, m[3].sigma);
}
