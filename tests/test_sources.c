/* The sources file (scenarios/SOURCES.md): every [TAG] that a bundled
 * scenario, preset, catalog or model header cites is a row of it, and every
 * row is cited somewhere. */
#include <stdlib.h>

#include "test.h"

TEST(every_cited_source_is_a_row_and_every_row_is_cited)
{
    char out[8192];
    /* cited tags, and the file's row tags */
    int rc = run_cmd("cd . && grep -rhoE '\\[[A-Z][A-Z0-9]+(-[A-Z0-9]+)*\\]' scenarios models --include='*.cfg' "
                     "--include='*.inc' --include='*.h' | tr -d '[]' | sort -u > /tmp/gigasim_cited.txt && "
                     "grep -oE '^\\| [A-Z][A-Z0-9]*(-[A-Z0-9]+)* \\|' scenarios/SOURCES.md | tr -d '| ' | sort -u "
                     "> /tmp/gigasim_rows.txt && wc -l < /tmp/gigasim_cited.txt && wc -l < /tmp/gigasim_rows.txt",
                     out, sizeof out);
    CHECK(rc == 0, "could not list the tags: %s", out);
    int n_cited = 0, n_rows = 0;
    CHECK(sscanf(out, "%d %d", &n_cited, &n_rows) == 2 && n_cited > 20 && n_rows > 20,
          "%d tags cited, %d rows (want more than 20 each): %s", n_cited, n_rows, out);
    rc = run_cmd("comm -23 /tmp/gigasim_cited.txt /tmp/gigasim_rows.txt", out, sizeof out);
    CHECK(rc == 0 && out[0] == '\0', "cited but not a row of scenarios/SOURCES.md: %s", out);
    rc = run_cmd("comm -13 /tmp/gigasim_cited.txt /tmp/gigasim_rows.txt", out, sizeof out);
    CHECK(rc == 0 && out[0] == '\0', "rows of scenarios/SOURCES.md that nothing cites: %s", out);
}
