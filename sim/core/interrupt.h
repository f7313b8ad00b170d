/*
 * interrupt: SIGINT and SIGTERM set a flag instead of killing the process, so
 * that a run stops between replications, writes nothing and removes its
 * temporary files (the outputs are never half-written). The flag is the one
 * process-wide state in sim/ that changes while a job runs: a signal has no
 * context to hang it on. (The other, a test's allocation countdown, is
 * per thread and set before any work: sim_alloc_fail_at.)
 */
#ifndef SIM_INTERRUPT_H
#define SIM_INTERRUPT_H

#include <stdbool.h>

/* Installs the handlers (call once, from main). */
void sim_interrupt_install(void);
/* Whether a SIGINT or SIGTERM has arrived; which one (0 if none). */
bool sim_interrupted(void);
int sim_interrupt_signal(void);

#endif
