/*
 * html: the small pieces the report's pages share: escaping any text for
 * HTML, a summary's figure by its dotted metric name, and numbers, money,
 * shares and days as a person reads them (2.35 billion; EUR 30.2 bn or
 * $1.96; 22.9 %; 27 April 2030).
 */
#ifndef SIM_HTML_H
#define SIM_HTML_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

/* text, HTML-escaped (n bytes, or all of it when n is SIZE_MAX). */
void html_esc_n(FILE *f, const char *s, size_t n);
void html_esc(FILE *f, const char *s);

/* Opens an element with its id: <TAG id="PREFIXid"[ class="cls"]> (cls
 * NULL: none). The prefix (html_id_prefix, "" to begin with) keeps the ids
 * of a study's parts apart on one page. */
void html_open(FILE *f, const char *tag, const char *id, const char *cls);
void html_id_prefix(const char *prefix);
const char *html_id_prefix_now(void);

/* o's member k (NULL when o is NULL). */
const cJSON *html_get(const cJSON *o, const char *k);
/* The figure {p10, p50, ...} of a metric "a.b" in a summary. */
const cJSON *html_figure_of(const cJSON *summary, const char *metric);

/* A number for a person: 2.35 billion, 16.97 million, 12,345, 1.097 (an
 * em dash for none). */
void html_num(char *b, size_t n, double v);
/* Money with its currency's symbol ($, EUR as "€", £; else the code):
 * $1.96, €30.2 bn, -$345 M, $12,345. */
void html_money(char *b, size_t n, double v, const char *currency);
/* A value in its unit: money (unit "currency") with the currency's
 * symbol, a share as a percentage, else a number (html_num). */
void html_value(char *b, size_t n, double v, const char *unit, const char *currency);
/* A share as a percentage: 22.9 %. */
void html_share(char *b, size_t n, double v);
/* Day d of a run that starts on start (YYYY-MM-DD; NULL: no date): "27 April
 * 2030", or "day 1,578". */
void html_day(char *b, size_t n, double d, const char *start);

#endif
