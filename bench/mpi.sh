#!/usr/bin/env bash
# make bench-mpi: the whole job (the 1 GW EU scenario, 1,000 replications,
# every model on) as 1 process x 1 and 2 threads and as 1 and 2 MPI ranks,
# then a sensitivity analysis of 10 inputs (Sobol', N = 16: 192 points x 4
# replications), plain and under 2 ranks; one "NAME VALUE" a line (seconds),
# and whether every variant wrote the same bytes. Ranks are not bound to a
# core (--bind-to none), so that each can run its threads.
set -euo pipefail
cd "$(dirname "$0")/.."
S=scenarios/eu-gigafactory-1gw.cfg
M="mpirun --allow-run-as-root --oversubscribe --bind-to none"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "job_1proc_1thread_seconds $(secs build/gigasim run $S -n 1000 --threads 1 -o $T/a -q)"
echo "job_1proc_2threads_seconds $(secs build/gigasim run $S -n 1000 --threads 2 -o $T/b -q)"
echo "job_1rank_2threads_seconds $(secs $M -np 1 build/mpi/gigasim run $S -n 1000 --threads 2 -o $T/c -q)"
echo "job_2ranks_1thread_seconds $(secs $M -np 2 build/mpi/gigasim run $S -n 1000 --threads 1 -o $T/d -q)"
same=1
for d in b c d; do diff -r $T/a $T/$d > /dev/null || same=0; done
echo "job_same_bytes $same"
IN="--input timeline.phases --input first_token.bringup_days --input racks.burnin_days --input racks.lead_days"
echo "sensitivity_10_inputs_n16_seconds $(secs build/gigasim sensitivity $S --samples 16 -n 4 --set serving.enabled=false $IN --threads 2 -o $T/s1 -q)"
echo "sensitivity_10_inputs_n16_2ranks_seconds $(secs $M -np 2 build/mpi/gigasim sensitivity $S --samples 16 -n 4 --set serving.enabled=false $IN --threads 1 -o $T/s2 -q)"
diff -r $T/s1 $T/s2 > /dev/null && echo "sensitivity_same_bytes 1" || echo "sensitivity_same_bytes 0"
