#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them with settings sized for a 2-core machine
# (about 15 s per benchmark configuration: 10 s of warm-up, which the Vector API kernels need;
# with 3 x 1 s some configurations were still being compiled when the measurement began).
# Figures and method: BENCHMARKS.md.
#
#   benchmarks/run.sh                       # every benchmark in the jar
#   benchmarks/run.sh CellStep Gemv Activation   # the cell-step figures (about 5 minutes)
#   benchmarks/run.sh CellStepBenchmark -p cell=lstm -p hidden=128   # extra arguments go to JMH
#   SKIP_BUILD=1 benchmarks/run.sh ...      # reuse benchmarks/target/benchmarks.jar
#   JMH_SETTINGS="-f 3 -wi 5 -w 2s -i 10 -r 2s -t 1" benchmarks/run.sh   # longer, steadier run
#   benchmarks/run.sh OnnxStepBenchmark -p hidden=128   # ONNX Runtime vs rnnstream (BENCHMARKS.md)
#
# OnnxStepBenchmark reads the models benchmarks/onnx/export_onnx.py writes to
# benchmarks/target/onnx/ (needs /usr/bin/python3 with Debian's python3-torch). When the run
# includes it (no benchmark named, or a name containing "Onnx") and the files are missing, this
# script runs the export first.
#
# JMH rejects an option given twice, so change the defaults below through JMH_SETTINGS rather
# than repeating -f / -i / ... in the extra arguments.
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

onnx_wanted=0
if [[ $# -eq 0 ]]; then
  onnx_wanted=1
fi
for arg in "$@"; do
  if [[ "$arg" == *Onnx* ]]; then
    onnx_wanted=1
  fi
done
if [[ "$onnx_wanted" == "1" && ! -f benchmarks/target/onnx/sentiment_h128_d64.onnx ]]; then
  echo "run.sh: exporting the ONNX models (benchmarks/onnx/export_onnx.py)" >&2
  /usr/bin/python3 benchmarks/onnx/export_onnx.py \
    || echo "run.sh: export failed (is python3-torch installed?); OnnxStepBenchmark will fail" >&2
fi

read -r -a settings <<< "${JMH_SETTINGS:--f 1 -wi 5 -w 2s -i 5 -r 1s -t 1}"
exec java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
  "${settings[@]}" \
  -rf json -rff benchmarks/target/jmh.json \
  "$@"
