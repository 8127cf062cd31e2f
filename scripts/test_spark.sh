#!/usr/bin/env bash
# The Spark job against one `newsgraph extract`, byte for byte: on the dev corpus
# (tests/corpus as JSONL, plus a bad line and a line without an id), with local[2] and 4
# partitions (tasks reading byte ranges), then on a standalone cluster on 127.0.0.1 (a master
# and two workers started with spark-class, stopped at the end whatever happens; Spark's text
# reader).
#
#   scripts/test_spark.sh BINARY [PYTHON]
#
# PYTHON must import pyspark (default: .venv/bin/python, else python3). Needs Java 17.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
python=${2:-}
if [ -z "$python" ]; then
    python=$root/.venv/bin/python
    [ -x "$python" ] || python=python3
fi
spark_home=$("$python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME=$spark_home
export PYSPARK_PYTHON=$python
export PYSPARK_DRIVER_PYTHON=$python
export SPARK_LOCAL_IP=127.0.0.1
work=$(mktemp -d /tmp/newsgraph-spark-test.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

"$python" - "$root/tests/corpus" corpus.jsonl <<'EOF'
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
files = sorted(
    os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".txt")
)
with open(out, "w", encoding="utf-8") as o:
    for f in files:
        doc = os.path.relpath(f, root)[:-4].replace(os.sep, "/")
        with open(f, encoding="utf-8") as t:
            o.write(json.dumps({"id": doc, "text": t.read()}, ensure_ascii=False) + "\n")
        if len(files) > 4 and f == files[len(files) // 2]:
            o.write("not json\n")
    o.write(json.dumps({"text": "چین و کوبا روابط دیپلماتیک دارند."}, ensure_ascii=False) + "\n")
EOF

want=0
"$binary" extract corpus.jsonl --out reference --quiet 2>/dev/null || want=$?
log=$work/spark.log
same() {
    local name=$1 got=$2
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $name: exit status $got, extract gave $want" >&2
        tail -n 30 "$log" >&2
        exit 1
    fi
    if ! diff -r reference "$name" >/dev/null; then
        echo "FAIL $name: files differ from one extract:" >&2
        diff -rq reference "$name" >&2 || true
        exit 1
    fi
    echo "ok: $name is byte-identical to one extract ($(ls reference | wc -l) files)"
}

echo "== local[2], 4 partitions"
got=0
start=$(date +%s%N)
"$spark_home/bin/spark-submit" --master 'local[2]' --files "$binary" \
    "$root/scripts/spark_extract.py" corpus.jsonl --out local --partitions 4 >"$log" 2>&1 || got=$?
echo "   $(grep -ao 'spark_extract: .*' "$log" || true); $(( ($(date +%s%N) - start) / 1000000 )) ms with spark-submit"
same local "$got"

echo "== standalone cluster on 127.0.0.1: a master and two workers"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 0 >master.log 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    if "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
        break
    fi
    sleep 0.2
done
for w in 1 2; do
    mkdir -p "worker$w"
    "$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" \
        --host 127.0.0.1 --cores 1 --memory 1g --webui-port 0 --work-dir "$work/worker$w" \
        >"worker$w.log" 2>&1 &
    pids+=($!)
done
for _ in $(seq 150); do
    [ "$(grep -l 'Successfully registered with master' worker1.log worker2.log 2>/dev/null | wc -l)" -eq 2 ] && break
    sleep 0.2
done
got=0
"$spark_home/bin/spark-submit" --master "spark://127.0.0.1:$port" --files "$binary" \
    --conf spark.executor.memory=768m \
    "$root/scripts/spark_extract.py" corpus.jsonl --out cluster --partitions 4 --spark-reader \
    >"$log" 2>&1 || got=$?
echo "   $(grep -ao 'spark_extract: .*' "$log" || true)"
same cluster "$got"
