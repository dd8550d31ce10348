#!/usr/bin/env python3
"""logward on Apache Spark: one task per log file, each running the logward binary; partial statistics
stores merged exactly on the driver with `logward merge`.

    spark-submit --master yarn --files /usr/local/bin/logward scale/spark/logward_job.py \
        --logward logward --rules /srv/logward/rules --keys /srv/logward/keys --site groups.im \
        --out /srv/logward/spark-out --sqlite /srv/logward/stats.sqlite '/srv/logs/groups.im/access.log-2025*.gz'

Spark places the work; logward stays the per-file worker. A task writes its anonymized file with logward's
atomic output (staged, fsynced, renamed) and its statistics into a partial store of its own, under names fixed by
its input, so a task Spark retries leaves no partial output and counts nothing twice (a store identifies files
by site and content). Executors run with --no-new-keys: the keys are made ahead (`logward keys create`) in a
store every executor reads, so shards of one day share one key. Lines of one file stay on one machine.
"""
import argparse
import glob
import hashlib
import os
import subprocess
import sys


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Run logward over many log files on Spark, one task per file.")
    parser.add_argument("inputs", nargs="+", help="log files or globs (paths every executor can read)")
    parser.add_argument("--logward", required=True,
                        help="the logward binary: a path every executor can run, or a name shipped with spark-submit --files")
    parser.add_argument("--rules", required=True, help="rules directory every executor can read")
    parser.add_argument("--keys", required=True, help="key store made ahead with `logward keys create`, readable by every executor (0700, the job's user)")
    parser.add_argument("--out", required=True, help="shared folder for anonymized files (out/anon) and partial stores (out/partials)")
    parser.add_argument("--sqlite", required=True, help="the merged statistics store the driver writes")
    parser.add_argument("--site", help="site of lines whose format has no virtual host")
    parser.add_argument("--policy", help="policy version governing every line")
    parser.add_argument("--format", help="log format (default combined)")
    parser.add_argument("--timezone", help="time zone of the statistics' days")
    parser.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[2])")
    parser.add_argument("--keep-partials", action="store_true", help="keep out/partials after the merge")
    return parser.parse_args(argv)


def expand(patterns):
    files = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern))
        files.extend(matches if matches else [pattern])
    # One task per distinct file, in a stable order.
    return sorted(set(os.path.abspath(f) for f in files))


def output_names(path):
    """Names fixed by the input's path: a retried task writes the same files, never a second copy."""
    tag = hashlib.sha256(path.encode()).hexdigest()[:12]
    stem = os.path.basename(path)
    for suffix in (".gz", ".log"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    return "%s.%s.anon.log.gz" % (stem, tag), "%s.%s.sqlite" % (stem, tag)


def task_command(options, logward, path):
    anonymized, partial = output_names(path)
    command = [logward, "anonymize", "--rules", options.rules, "--keys", options.keys, "--no-new-keys",
               "--threads", "1", "-o", os.path.join(options.out, "anon", anonymized),
               "--sqlite", os.path.join(options.out, "partials", partial)]
    for flag, value in (("--site", options.site), ("--policy", options.policy), ("--format", options.format),
                        ("--timezone", options.timezone)):
        if value:
            command += [flag, value]
    return command + [path]


def binary(name):
    """A path as given, or a name shipped with `spark-submit --files`, found where Spark put it."""
    if os.path.sep in name:
        return name
    from pyspark import SparkFiles
    return SparkFiles.get(name)


def run_task(options, path):
    result = subprocess.run(task_command(options, binary(options.logward), path), capture_output=True, text=True)
    # logward's messages name files, lines and byte offsets, never identifiers: safe to carry to the driver.
    return path, result.returncode, result.stdout, result.stderr


def main(argv):
    options = parse_arguments(argv)
    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName("logward")
    if options.master:
        builder = builder.master(options.master).config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    try:
        files = expand(options.inputs)
        for folder in ("anon", "partials"):
            os.makedirs(os.path.join(options.out, folder), exist_ok=True)
        results = spark.sparkContext.parallelize(files, len(files)).map(lambda path: run_task(options, path)).collect()
        failed = [(path, code, err) for path, code, _, err in results if code not in (0,)]
        for path, code, err in failed:
            sys.stderr.write("logward_job: %s: exit %d: %s\n" % (path, code, err.strip()))
        partials = sorted(glob.glob(os.path.join(options.out, "partials", "*.sqlite")))
        if partials:
            merge = subprocess.run([binary(options.logward), "merge", "--sqlite", options.sqlite] + partials,
                                   capture_output=True, text=True)
            sys.stdout.write(merge.stdout)
            if merge.returncode != 0:
                sys.stderr.write("logward_job: merge: exit %d: %s\n" % (merge.returncode, merge.stderr.strip()))
                return 3
            if not options.keep_partials and not failed:
                for partial in partials:
                    os.unlink(partial)
        print("logward_job: %d file(s), %d task(s) failed" % (len(files), len(failed)))
        return max([code for _, code, _ in failed], default=0)
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
