#include "sim/present/html.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/core/calendar.h"
#include "sim/core/util.h"

void html_esc_n(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(s[i], f);
        }
    }
}

void html_esc(FILE *f, const char *s) { html_esc_n(f, s ? s : "", (size_t)-1); }

static char id_prefix[32];

void html_id_prefix(const char *prefix) { snprintf(id_prefix, sizeof id_prefix, "%s", prefix ? prefix : ""); }

const char *html_id_prefix_now(void) { return id_prefix; }

void html_open(FILE *f, const char *tag, const char *id, const char *cls)
{
    fprintf(f, "<%s id=\"%s", tag, id_prefix);
    html_esc(f, id);
    fputc('"', f);
    if (cls)
        fprintf(f, " class=\"%s\"", cls);
    fputc('>', f);
}

const cJSON *html_get(const cJSON *o, const char *k) { return o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL; }

const cJSON *html_figure_of(const cJSON *summary, const char *metric)
{
    char part[128];
    const cJSON *o = summary;
    const char *p = metric;
    while (o && *p) {
        size_t l = strcspn(p, ".");
        snprintf(part, sizeof part, "%.*s", (int)(l < sizeof part ? l : sizeof part - 1), p);
        o = html_get(o, part);
        p += l + (p[l] == '.');
    }
    return cJSON_IsObject(o) ? o : NULL;
}

void html_num(char *b, size_t n, double v)
{
    double a = fabs(v);
    if (isfinite(v) && a < 5e-7) /* rounding noise of a difference */
        v = a = 0;
    if (!isfinite(v))
        snprintf(b, n, "&mdash;");
    else if (a >= 1e12)
        snprintf(b, n, "%.2f trillion", v / 1e12);
    else if (a >= 1e9)
        snprintf(b, n, "%.2f billion", v / 1e9);
    else if (a >= 1e6)
        snprintf(b, n, "%.2f million", v / 1e6);
    else if (a >= 1e4)
        sim_fmt_grouped(b, n, v);
    else if (a == 0)
        snprintf(b, n, "0");
    else
        snprintf(b, n, "%.4g", v);
}

void html_money(char *b, size_t n, double v, const char *currency)
{
    const char *c = currency ? currency : "";
    const char *sym = !strcmp(c, "USD") ? "$" : !strcmp(c, "EUR") ? "\xE2\x82\xAC" : !strcmp(c, "GBP") ? "\xC2\xA3" : NULL;
    char amount[64];
    if (!isfinite(v)) {
        snprintf(b, n, "&mdash;");
        return;
    }
    sim_fmt_amount(amount, sizeof amount, fabs(v));
    if (sym)
        snprintf(b, n, "%s%s%s", v < 0 ? "-" : "", sym, amount);
    else { /* the code as text: a summary may have been edited by hand */
        char code[64];
        size_t k = 0;
        for (const char *p = c; *p && k + 8 < sizeof code; p++) {
            const char *e = *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;" : *p == '"' ? "&quot;"
                          : *p == '\'' ? "&#39;" : NULL;
            if (e)
                k += (size_t)snprintf(code + k, sizeof code - k, "%s", e);
            else
                code[k++] = *p;
        }
        code[k] = '\0';
        snprintf(b, n, "%s%s %s", v < 0 ? "-" : "", code, amount);
    }
}


void html_share(char *b, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(b, n, "&mdash;");
    else
        snprintf(b, n, "%.3g %%", 100.0 * v);
}

void html_day(char *b, size_t n, double d, const char *start)
{
    int64_t s;
    if (!isfinite(d)) {
        snprintf(b, n, "not reached");
        return;
    }
    if (start && sim_date_parse(start, &s) == 0) {
        static const char *const MONTHS[12] = {"January", "February", "March",     "April",   "May",      "June",
                                               "July",    "August",   "September", "October", "November", "December"};
        int64_t y;
        unsigned m, dd;
        sim_civil_from_days(s + (int64_t)floor(d), &y, &m, &dd);
        snprintf(b, n, "%u %s %lld", dd, MONTHS[m - 1], (long long)y);
        return;
    }
    char g[64];
    sim_fmt_grouped(g, sizeof g, d);
    snprintf(b, n, "day %s", g);
}

void html_value(char *b, size_t n, double v, const char *unit, const char *currency)
{
    if (!strcmp(unit, "currency") && currency && *currency)
        html_money(b, n, v, currency);
    else if (!strcmp(unit, "share"))
        html_share(b, n, v);
    else
        html_num(b, n, v);
}
