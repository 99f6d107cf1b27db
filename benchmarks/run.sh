#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them with settings sized for a 2-core machine
# (about 9 s per benchmark configuration). Figures and method: BENCHMARKS.md.
#
#   benchmarks/run.sh                       # every benchmark in the jar
#   benchmarks/run.sh CellStep Gemv Activation   # the cell-step figures (about 3 minutes)
#   benchmarks/run.sh CellStepBenchmark -p cell=lstm -p hidden=128   # extra arguments go to JMH
#   SKIP_BUILD=1 benchmarks/run.sh ...      # reuse benchmarks/target/benchmarks.jar
#   JMH_SETTINGS="-f 3 -wi 5 -w 2s -i 10 -r 2s -t 1" benchmarks/run.sh   # longer, steadier run
#
# JMH rejects an option given twice, so change the defaults below through JMH_SETTINGS rather
# than repeating -f / -i / ... in the extra arguments.
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

read -r -a settings <<< "${JMH_SETTINGS:--f 1 -wi 3 -w 1s -i 5 -r 1s -t 1}"
exec java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
  "${settings[@]}" \
  -rf json -rff benchmarks/target/jmh.json \
  "$@"
