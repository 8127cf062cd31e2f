#!/usr/bin/env python3
"""newsgraph on Apache Spark: the output folder of `newsgraph extract`, computed by a cluster.

    spark-submit --master spark://HOST:7077 --files target/release/newsgraph \\
        scripts/spark_extract.py corpus.jsonl [more.jsonl ...] --out DIR

    spark-submit --master 'local[2]' scripts/spark_extract.py corpus.jsonl --out DIR \\
        --binary target/release/newsgraph

The inputs are JSONL files (one `{"id", "text", "published", "lang"}` object a line), or
folders of them (every `.jsonl` under the folder, in sorted order), on a file system every
executor can read (a local path on a one-machine cluster, a shared file system; HDFS or S3
URIs through Spark's reader). DIR gets exactly the files of `newsgraph extract INPUT... --out
DIR` run on one machine, byte for byte. `--work` names a folder that the executors and the
driver share (on a one-machine cluster, the default temporary folder is one).

Stages (the README's "Running on Apache Spark" says more):

1. A job of empty tasks with a shuffle starts the executors' Python workers and warms up the
   shuffle (timed apart as `warm-up`), and the final `newsgraph merge - --out DIR` starts on
   the driver, loading the gazetteer while the cluster works.
2. The input is cut into byte ranges (each owns the lines that start in it, as Hadoop's
   reader divides a file) and their lines are counted (on the driver for a small input, by a
   job otherwise), so that documents keep the order, sources and fallback ids one `extract`
   gives them. With `--spark-reader`, and for URIs, Spark's text reader makes the partitions
   and a job counts their lines.
3. Map and combine, per range, in Rust: `newsgraph extract - --emit jsonl --stdin-name FILE
   --first-line L --first-index N --rows WORK/rows/part-P | newsgraph merge - --emit jsonl`.
   The binary is shipped with `SparkContext.addFile` (or `spark-submit --files`) and found
   with `SparkFiles.get`; `run_pipeline` runs it with `subprocess` and raises when a stage
   fails (`rdd.pipe` would run it with an empty environment and ignore its exit status). The
   document lines go to the rows folder as extract makes them; the combiner reads only graph
   records, and the task emits the combined graph records and one rows record.
4. Shuffle: every record starts with its key (`r:` rows, `i:` document info, `n:` node id,
   `e:` edge); `partitionBy` on a CRC-32 of the key sends every node and edge to one shard,
   where `newsgraph merge - --emit jsonl` merges it again into a file in WORK/shards.
5. The driver streams the shard files into the waiting final merge, which copies the rows
   folders into the output set in order and writes the graph files.
"""

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib

BINARY_NAME = "newsgraph"


def executable(path):
    """`path`, made executable when it is not (files fetched by Spark may lose the bit)."""
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        try:
            os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        except OSError:
            pass
    return path


def run_pipeline(commands, lines, allowed=None, out=None):
    """Runs `commands` (argument lists) as a shell pipeline, feeds `lines` (str without
    newlines, or bytes as they are) to the first one's standard input from a thread, and
    yields the last one's output lines (bytes, with their newlines), or writes them to the file
    object `out` when given.
    Raises RuntimeError, with the stage's stderr, when a stage exits with a status outside
    `allowed[i]` (default: 0)."""
    allowed = allowed or [(0,)] * len(commands)
    procs, errs = [], []
    stdin = subprocess.PIPE
    for i, command in enumerate(commands):
        err = tempfile.TemporaryFile()
        last = i == len(commands) - 1
        proc = subprocess.Popen(
            command,
            stdin=stdin,
            stdout=out if last and out is not None else subprocess.PIPE,
            stderr=err,
            env=dict(os.environ),
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
                if isinstance(line, bytes):
                    procs[0].stdin.write(line)  # raw input lines, with their line ends
                else:
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
        if out is None:
            yield from procs[-1].stdout
    finally:
        if out is None:
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


# `{"k":"KEY"`: a JSON string, escapes and all.
RECORD_KEY = re.compile(rb'\{"k":"((?:[^"\\]|\\.)*)"')


def key_of(line):
    """The key every partial line (bytes) starts with, `{"k":"KEY",...`, as the bytes of the
    JSON string: records pass the shuffle undecoded, and newsgraph writes a key the same way
    wherever it writes it."""
    found = RECORD_KEY.match(line)
    if not found:
        raise ValueError(f"not a newsgraph partial record: {line[:80]!r}")
    return found.group(1)


def shard_of(key):
    """The same shard for a key (bytes) on every machine (Python's str hash is salted per
    process)."""
    return zlib.crc32(key)


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


# A split owns the lines that start in its byte range [start, end): those at 0 and after each
# newline, as Hadoop's line reader divides a file. Task and count agree on it, so every line
# is read once and numbered as one `extract` over the file numbers it.
SPLIT_BYTES = 128 << 20
# Below this, the driver counts the lines itself (a newline count runs at gigabytes a second):
# a Spark job costs more than that in scheduling alone.
DRIVER_COUNT_BYTES = 256 << 20


def plan_splits(files, partitions):
    """(file index, path, start, end) byte ranges of the local files `files`: `partitions` of them in
    all, in proportion to the sizes, or one per SPLIT_BYTES when that is more."""
    sizes = [os.path.getsize(path) for path in files]
    total = sum(sizes)
    partitions = max(partitions, -(-total // SPLIT_BYTES), 1)
    target = max(1, -(-total // partitions))
    splits = []
    for index, (path, size) in enumerate(zip(files, sizes)):
        pieces = -(-size // target)
        for k in range(pieces):
            splits.append((index, path, k * size // pieces, (k + 1) * size // pieces))
    return splits


def count_lines(split):
    """The number of lines that start in `split` (see `plan_splits`)."""
    _, path, start, end = split
    if end <= start:
        return 0
    count = 1 if start == 0 else 0
    # A newline at i starts the line at i + 1: those at start - 1 .. end - 2 start in range.
    at = max(start - 1, 0)
    left = end - 1 - at
    with open(path, "rb") as f:
        f.seek(at)
        while left > 0:
            block = f.read(min(left, 1 << 22))
            if not block:
                break
            count += block.count(b"\n")
            left -= len(block)
    return count


def split_lines(split):
    """The lines (bytes, with their line ends) that start in `split`."""
    _, path, start, end = split
    with open(path, "rb", buffering=1 << 20) as f:
        at = 0
        if start > 0:
            f.seek(start - 1)
            at = start - 1 + len(f.readline())  # past the newline at or after start - 1
        while at < end:
            line = f.readline()
            if not line:
                break
            at += len(line)
            yield line


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
        "--work",
        help="a folder the executors write their row files and graph shards to, which the "
        "driver can read (default: a new folder under the system's temporary folder, right "
        "for local mode and one-machine clusters; on a cluster, a shared file system)",
    )
    parser.add_argument(
        "--spark-reader",
        action="store_true",
        help="read the inputs with Spark's text reader (sc.textFile), as URIs (hdfs://, "
        "s3a://, ...) always are, rather than by byte ranges in each task",
    )
    parser.add_argument(
        "--master", help="the Spark master, when not run through spark-submit --master"
    )
    args, merge_args = parser.parse_known_args(argv)

    from pyspark import SparkConf, SparkFiles, TaskContext
    from pyspark.sql import SparkSession

    conf = SparkConf().setAppName("newsgraph")
    if args.master:
        conf = conf.setMaster(args.master)
    spark = SparkSession.builder.config(conf=conf).getOrCreate()
    sc = spark.sparkContext
    started = time.monotonic()
    final = None
    work = None
    try:
        # Spark starts an executor's Python workers with its first Python task, and the first
        # job loads and compiles the scheduler's code, and the first shuffle the shuffle's code
        # (about 0.8 s on two cores): seconds that a long-lived session pays once. A job of
        # empty tasks with a shuffle pays them here, timed apart from the work.
        slots = sc.defaultParallelism
        empty = sc.parallelize(range(slots), slots).map(lambda i: (b"%d" % i, i))
        empty.partitionBy(slots, shard_of).foreach(lambda _: None)
        phases = [("warm-up", time.monotonic())]
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
        if args.work:
            os.makedirs(args.work, exist_ok=True)
            work = tempfile.mkdtemp(prefix="newsgraph-spark-", dir=os.path.abspath(args.work))
        else:
            work = tempfile.mkdtemp(prefix="newsgraph-spark-")

        # The final merge starts now and loads the gazetteers while the cluster works; it
        # reads the merged shards on its standard input at the end.
        final = subprocess.Popen(
            [driver_binary, "merge", "-", "--out", args.out, "--quiet"] + common + merge_args,
            stdin=subprocess.PIPE,
        )

        # One job counts the lines of every input partition; from the counts, each partition
        # knows its file, its first line number and the position of its first line in the
        # whole input, as one `extract` over the files would number them.
        by_tasks = not args.spark_reader and not any("://" in f for f in files)
        if by_tasks:
            # Local files (or a shared file system): each task reads its byte range itself
            # and passes the bytes on untouched, and the count is a newline count.
            splits = plan_splits(files, args.partitions or sc.defaultParallelism)
            source = sc.parallelize(splits, max(1, len(splits)))
            if sum(end - start for _, _, start, end in splits) <= DRIVER_COUNT_BYTES:
                counts = [count_lines(split) for split in splits]
            else:
                counts = source.map(count_lines).collect()
            paths = [(index, path) for index, path, _, _ in splits]
        else:
            per_file = []
            for path in files:
                uri = path if "://" in path else os.path.abspath(path)
                per_file.append((path, sc.textFile(uri, minPartitions=args.partitions or None)))
            source = sc.union([r for _, r in per_file]) if len(per_file) > 1 else per_file[0][1]
            counts = source.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
            paths = [
                (index, path)
                for index, (path, r) in enumerate(per_file)
                for _ in range(r.getNumPartitions())
            ]
        phases.append(("count", time.monotonic()))
        starts, seq, line, previous = [], 0, 0, None
        for (index, path), count in zip(paths, counts):
            if index != previous:
                line, previous = 0, index
            starts.append((path, line, seq))
            line += count
            seq += count

        def map_and_combine(partition, items):
            if by_tasks:
                items = (line for split in items for line in split_lines(split))
            texts = iter(items)
            first = next(texts, None)
            if first is None:
                return
            path, first_line, first_seq = starts[partition]
            binary = executable(SparkFiles.get(name))
            attempt = TaskContext.get().attemptNumber()
            rows = os.path.join(work, "rows", f"part-{partition:05d}-{attempt}")

            def all_texts():
                yield first
                yield from texts

            # extract writes the partition's document lines to its rows folder as they come
            # and emits their graph records and one rows record; the combiner merges the
            # graph records and passes the rows record on.
            extract = [binary, "extract", "-", "--emit", "jsonl", "-j", threads]
            extract += ["--stdin-name", path, "--first-line", str(first_line + 1)]
            extract += ["--first-index", str(first_seq), "--rows", rows] + common
            merge = [binary, "merge", "-", "--emit", "jsonl"]
            # extract exits 1 when some documents failed: they are error records, not a crash.
            yield from run_pipeline([extract, merge], all_texts(), allowed=[(0, 1), (0,)])

        def reduce_shard(shard, pairs):
            binary = executable(SparkFiles.get(name))
            attempt = TaskContext.get().attemptNumber()
            path = os.path.join(work, "shards", f"shard-{shard:05d}-{attempt}.partial")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            merge = [binary, "merge", "-", "--emit", "jsonl"]
            with open(path, "wb") as out:
                for _ in run_pipeline([merge], (line for _, line in pairs), out=out):
                    pass
            yield (shard, path)

        # Every record after the combiner is a graph record or a rows record (a few hundred
        # bytes naming a rows folder): all go to the shard of their key, where `merge` merges
        # the graph records and passes the rows records on; each shard is written to a file
        # by its executor. The driver receives only the shards' file names.
        numbered = source.mapPartitionsWithIndex(map_and_combine)
        shards = args.shards or numbered.getNumPartitions()
        written = (
            numbered.map(lambda line: (key_of(line), line))
            .partitionBy(shards, shard_of)
            .mapPartitionsWithIndex(reduce_shard)
            .collect()
        )
        phases.append(("map+shuffle+reduce", time.monotonic()))
        try:
            for _, path in sorted(written):
                with open(path, "rb") as shard:
                    shutil.copyfileobj(shard, final.stdin, 1 << 20)
            final.stdin.close()
        except BrokenPipeError:
            pass  # the merge stopped early: its status and message say why
        code = final.wait()
        final = None
        phases.append(("final merge", time.monotonic()))
        warm = phases[0][1]
        print(
            f"spark_extract: {len(files)} file(s), {numbered.getNumPartitions()} partitions, "
            f"{shards} shards, {time.monotonic() - started:.2f} s after the SparkSession was up, "
            f"{time.monotonic() - warm:.2f} s after the warm-up ("
            + ", ".join(
                f"{phase} {t - before:.2f} s"
                for (phase, t), before in zip(phases, [started] + [t for _, t in phases])
            )
            + f"); output in {args.out}",
            file=sys.stderr,
        )
        return code
    finally:
        if final is not None:
            # The job failed: the final merge must not write an output set from what it got.
            final.terminate()
            final.wait()
        if work:
            shutil.rmtree(work, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
