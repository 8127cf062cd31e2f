#!/usr/bin/env python3
"""newsgraph on Apache Spark: the output folder of `newsgraph extract`, computed by a cluster.

    spark-submit --master spark://HOST:7077 --files target/release/newsgraph \\
        scripts/spark_extract.py corpus.jsonl [more.jsonl ...] --out DIR

    spark-submit --master 'local[2]' scripts/spark_extract.py corpus.jsonl --out DIR \\
        --binary target/release/newsgraph

The inputs are JSONL files (one `{"id", "text", "published", "lang"}` object a line), or
folders of them (every `.jsonl` under the folder, in sorted order), on a file system every
executor can read (a local path on a one-machine cluster, HDFS, S3, ...). DIR gets exactly the
files of `newsgraph extract INPUT... --out DIR` run on one machine, byte for byte.

Stages:

1. Every input line gets its line number in its file and its position in the whole input
   (`zipWithIndex`), so that documents keep the order, sources and fallback ids one
   `extract` gives them.
2. Map and combine, per partition, in Rust: `newsgraph extract - --emit jsonl --stdin-name
   FILE --first-line L --first-index N | newsgraph merge - --emit jsonl`. The binary is
   shipped with `SparkContext.addFile` (or `spark-submit --files`) and found with
   `SparkFiles.get`; `run_pipeline` runs it with `subprocess` and raises when a stage fails
   (`rdd.pipe` would run it with an empty environment and ignore its exit status).
3. Shuffle: every merged record starts with its key (`d:` document, `i:` document info,
   `n:` node id, `e:` edge); `partitionBy` on a CRC-32 of the key sends every node and edge to
   one shard, where `newsgraph merge - --emit jsonl` merges it again.
4. The shards' records stream to the driver (`toLocalIterator`, one shard at a time) into one
   file, and `newsgraph merge FILE --out DIR` writes the output set there.
"""

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib

BINARY_NAME = "newsgraph"
DOCUMENT_PREFIX = '{"k":"d:'


def executable(path):
    """`path`, made executable when it is not (files fetched by Spark may lose the bit)."""
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        try:
            os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        except OSError:
            pass
    return path


def run_pipeline(commands, lines, allowed=None):
    """Runs `commands` (argument lists) as a shell pipeline, feeds `lines` (str, without
    newlines) to the first one's standard input from a thread, and yields the last one's
    output lines (without newlines). Raises RuntimeError, with the stage's stderr, when a
    stage exits with a status outside `allowed[i]` (default: 0)."""
    allowed = allowed or [(0,)] * len(commands)
    procs, errs = [], []
    stdin = subprocess.PIPE
    for command in commands:
        err = tempfile.TemporaryFile()
        proc = subprocess.Popen(
            command, stdin=stdin, stdout=subprocess.PIPE, stderr=err, env=dict(os.environ)
        )
        if procs:
            procs[-1].stdout.close()  # the next stage owns the pipe now
        procs.append(proc)
        errs.append(err)
        stdin = proc.stdout
    failure = []

    def feed():
        try:
            for line in lines:
                procs[0].stdin.write(line.encode("utf-8"))
                procs[0].stdin.write(b"\n")
        except BrokenPipeError:
            pass  # the stage died: its status says why
        except BaseException as e:  # noqa: BLE001 - reported below, in the task
            failure.append(e)
        finally:
            try:
                procs[0].stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for raw in procs[-1].stdout:
            yield raw.decode("utf-8").rstrip("\n")
    finally:
        procs[-1].stdout.close()
        writer.join()
        problems = []
        for command, proc, err, ok in zip(commands, procs, errs, allowed):
            code = proc.wait()
            if code not in ok:
                err.seek(0)
                message = err.read().decode("utf-8", "replace").strip()
                problems.append(f"{' '.join(command)} exited with {code}: {message}")
            err.close()
        if failure:
            raise failure[0]
        if problems:
            raise RuntimeError("; ".join(problems))


def key_of(line):
    """The key every partial line starts with: `{"k":"KEY",...`."""
    if not line.startswith('{"k":"'):
        raise ValueError(f"not a newsgraph partial record: {line[:80]!r}")
    return json.decoder.scanstring(line, 6)[0]


def shard_of(key):
    """The same shard for a key on every machine (Python's str hash is salted per process)."""
    return zlib.crc32(key.encode("utf-8"))


def expand(inputs):
    """JSONL files, and every `.jsonl` under folders, in sorted order (as `extract` walks)."""
    files = []
    for name in inputs:
        if os.path.isdir(name):
            found = []
            for folder, _, names in os.walk(name):
                found += [os.path.join(folder, n) for n in names if n.endswith(".jsonl")]
            files += sorted(found)
        else:
            files.append(name)
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL files or folders")
    parser.add_argument("--out", required=True, help="the output folder (on the driver)")
    parser.add_argument(
        "--binary",
        help="the newsgraph binary to ship (default: the one given to spark-submit --files)",
    )
    parser.add_argument(
        "--partitions", type=int, default=0, help="input partitions (default: Spark's)"
    )
    parser.add_argument(
        "--shards", type=int, default=0, help="graph shards after the shuffle (default: as many)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads of each extract task (default 1)"
    )
    parser.add_argument("--gazetteers", help="a gazetteer folder every executor can read")
    parser.add_argument(
        "--master", help="the Spark master, when not run through spark-submit --master"
    )
    args, merge_args = parser.parse_known_args(argv)

    from pyspark import SparkConf, SparkFiles, StorageLevel
    from pyspark.sql import SparkSession

    conf = SparkConf().setAppName("newsgraph")
    if args.master:
        conf = conf.setMaster(args.master)
    spark = SparkSession.builder.config(conf=conf).getOrCreate()
    sc = spark.sparkContext
    started = time.monotonic()
    try:
        name = BINARY_NAME
        shipped = sc.getConf().get("spark.files", "")
        if args.binary:
            name = os.path.basename(args.binary)
            if not any(os.path.basename(f) == name for f in shipped.split(",") if f):
                sc.addFile(os.path.abspath(args.binary))
        # The driver's copy: the file given, else the one Spark fetched, else the PATH.
        driver_binary = args.binary or next(
            (p for p in [SparkFiles.get(name), shutil.which(name)] if p and os.path.exists(p)),
            None,
        )
        if not driver_binary:
            sys.exit(f"spark_extract: no {name} binary: give --binary or spark-submit --files")
        driver_binary = executable(os.path.abspath(driver_binary))
        common = ["--gazetteers", args.gazetteers] if args.gazetteers else []
        threads = str(max(1, args.threads))

        files = expand(args.inputs)
        if not files:
            sys.exit("spark_extract: no input files")
        # One job counts the lines of every input partition; from the counts, each partition
        # knows its file, its first line number and the position of its first line in the
        # whole input, as one `extract` over the files would number them.
        per_file = []
        for path in files:
            uri = path if "://" in path else os.path.abspath(path)
            per_file.append((path, sc.textFile(uri, minPartitions=args.partitions or None)))
        lines = sc.union([rdd for _, rdd in per_file]) if len(per_file) > 1 else per_file[0][1]
        counts = lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
        phases = [("count", time.monotonic())]
        starts, seq, index = [], 0, 0
        for path, rdd in per_file:
            line = 0
            for _ in range(rdd.getNumPartitions()):
                starts.append((path, line, seq))
                line += counts[index]
                seq += counts[index]
                index += 1
        numbered = lines.mapPartitionsWithIndex(
            lambda i, it: (((starts[i][0], starts[i][1] + n, text), starts[i][2] + n)
                           for n, text in enumerate(it))
        )

        def map_and_combine(records):
            records = iter(records)
            first = next(records, None)
            if first is None:
                return
            (path, first_line, first_text), first_seq = first
            binary = executable(SparkFiles.get(name))

            def lines():
                expected = (first_line, first_seq)
                yield first_text
                for (p, line_no, text), seq in records:
                    expected = (expected[0] + 1, expected[1] + 1)
                    if p != path or (line_no, seq) != expected:
                        raise RuntimeError(
                            f"partition not contiguous at {p}:{line_no + 1} (index {seq})"
                        )
                    yield text

            extract = [binary, "extract", "-", "--emit", "jsonl", "-j", threads]
            extract += ["--stdin-name", path, "--first-line", str(first_line + 1)]
            extract += ["--first-index", str(first_seq)] + common
            merge = [binary, "merge", "-", "--emit", "jsonl"]
            # extract exits 1 when some documents failed: they are error records, not a crash.
            yield from run_pipeline([extract, merge], lines(), allowed=[(0, 1), (0,)])

        # Kept (on disk if need be) for its second reader: the shuffle reads the graph
        # records, the driver the document records.
        combined = numbered.mapPartitions(map_and_combine).persist(StorageLevel.MEMORY_AND_DISK)
        shards = args.shards or combined.getNumPartitions()

        def reduce_shard(pairs):
            binary = executable(SparkFiles.get(name))
            merge = [binary, "merge", "-", "--emit", "jsonl"]
            yield from run_pipeline([merge], (line for _, line in pairs))

        # Document records need no merging (each is one document, already in input order
        # within its partition): they skip the shuffle. Graph records go to the shard of
        # their key and are merged there.
        graph = (
            combined.filter(lambda line: not line.startswith(DOCUMENT_PREFIX))
            .map(lambda line: (key_of(line), line))
            .partitionBy(shards, shard_of)
            .mapPartitions(reduce_shard)
        )
        documents = combined.filter(lambda line: line.startswith(DOCUMENT_PREFIX))
        work = tempfile.mkdtemp(prefix="newsgraph-spark-")
        try:
            merged = os.path.join(work, "merged.partial.jsonl")
            with open(merged, "w", encoding="utf-8") as out:
                # The graph first: its first job runs every map task at once.
                for phase, rdd in (("map+shuffle+reduce", graph), ("documents", documents)):
                    for line in rdd.toLocalIterator(prefetchPartitions=True):
                        out.write(line)
                        out.write("\n")
                    phases.append((phase, time.monotonic()))
            combined.unpersist()
            final = [driver_binary, "merge", merged, "--out", args.out, "--quiet"]
            code = subprocess.run(final + common + merge_args).returncode
            phases.append(("final merge", time.monotonic()))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(
            f"spark_extract: {len(files)} file(s), {numbered.getNumPartitions()} partitions, "
            f"{shards} shards, {time.monotonic() - started:.2f} s after the SparkSession was up ("
            + ", ".join(
                f"{phase} {t - before:.2f} s"
                for (phase, t), before in zip(phases, [started] + [t for _, t in phases])
            )
            + f"); output in {args.out}",
            file=sys.stderr,
        )
        return code
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
