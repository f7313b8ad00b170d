#include "sim/app.h"

#include <string.h>

int sim_metric_find(const sim_metric *metrics, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(metrics[i].name, name) == 0)
            return (int)i;
    return -1;
}
