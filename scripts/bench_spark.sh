#!/usr/bin/env bash
# The README's Spark timing: the bench corpus as JSONL (split at blank lines, as
# benches/throughput.rs splits it; id = position), then N rounds of a plain `extract` and the
# Spark job on local[2], alternating; each round prints both times and the load average and
# checks that the outputs are byte-identical. TXT files (default: the bench corpus,
# `../shared/bench/fars_news_1500.txt`) are split at blank lines and numbered in order.
#
#   scripts/bench_spark.sh [ROUNDS] [PYTHON] [TXT...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
python=${2:-$root/.venv/bin/python}
shift $(( $# < 2 ? $# : 2 ))
texts=("$@")
[ ${#texts[@]} -gt 0 ] || texts=("$root/../shared/bench/fars_news_1500.txt")
for t in "${texts[@]}"; do texts_abs+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")"); done
binary=$root/target/release/newsgraph
export SPARK_HOME=$("$python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export PYSPARK_PYTHON=$python PYSPARK_DRIVER_PYTHON=$python SPARK_LOCAL_IP=127.0.0.1
work=$(mktemp -d /tmp/newsgraph-bench-spark.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$python" - bench.jsonl "${texts_abs[@]}" <<'PY'
import json, sys
docs = (
    d
    for path in sys.argv[2:]
    for d in open(path, encoding="utf-8").read().split("\n\n")
    if d.strip()
)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i, doc in enumerate(docs):
        out.write(json.dumps({"id": str(i), "text": doc}, ensure_ascii=False) + "\n")
PY
for _ in $(seq "$rounds"); do
    start=$(date +%s%N)
    "$binary" extract bench.jsonl --out plain -q
    echo "plain: $(( ($(date +%s%N) - start) / 1000000 )) ms; load $(cut -d' ' -f1 /proc/loadavg)"
    rm -rf spark
    "$SPARK_HOME/bin/spark-submit" --master 'local[2]' --files "$binary" \
        "$root/scripts/spark_extract.py" bench.jsonl --out spark >spark.log 2>&1
    echo "$(grep -ao 'spark_extract: .*' spark.log); load $(cut -d' ' -f1 /proc/loadavg)"
    diff -r plain spark >/dev/null || { echo "the outputs differ" >&2; exit 1; }
done
