"""Nightly job on Spark: read new exports, extract grievances, and add them to the quarter-partitioned store.

On a cluster, ship a Python environment that has ``hotline_insight[spark]``
installed to every executor (here a venv packed with ``venv-pack``), and
keep the inputs, the catalog, the topic model and the store on a file system
that the driver and every executor mount at the same path (NFS, ``/dbfs``,
...)::

    python -m venv env && env/bin/pip install 'hotline_insight[spark]' venv-pack
    env/bin/venv-pack -o env.tar.gz
    PYSPARK_PYTHON=./env/bin/python spark-submit \\
        --master yarn --deploy-mode cluster \\
        --archives env.tar.gz#env \\
        --conf spark.sql.session.timeZone=UTC \\
        examples/spark_submit.py \\
        --inputs /mnt/exports/2026-09-30 --store /mnt/insight/store \\
        --catalog /mnt/insight/catalog.yaml --topic-model /mnt/insight/topic_model

Locally (Java 17+ and ``pip install 'hotline_insight[spark]'``)::

    spark-submit --master 'local[2]' --conf spark.driver.bindAddress=127.0.0.1 \\
        examples/spark_submit.py \\
        --inputs sample_data/tickets --store out/store --catalog sample_data/catalog.yaml

Re-running over the same folder is safe: inputs already in the store's
manifest are skipped, a run killed half way leaves the store as it was (or
is completed by the next run), and a second run started while one is
writing fails at once with error E1106.
"""

from __future__ import annotations

import argparse

import hotline_insight as hi
import hotline_insight.spark as his


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", nargs="+", required=True, help="export files, folders or globs")
    parser.add_argument("--store", required=True, help="the store's folder")
    parser.add_argument("--catalog", help="the catalog YAML (products and policies)")
    parser.add_argument("--topic-model", help="folder of a TopicModel saved with TopicModel.save()")
    parser.add_argument(
        "--replace", action="store_true", help="process every input and replace the quarters written"
    )
    args = parser.parse_args()

    spark = his.get_session(master=None, app_name="hotline-insight-nightly")  # master from spark-submit
    try:
        run = his.write_store(
            spark,
            args.inputs,
            args.store,
            catalog=args.catalog,
            topic_model=args.topic_model,
            replace=args.replace,
        )
    finally:
        spark.stop()
    failed = run.parse_report.n_failed if run.parse_report else 0
    print(
        f"run {run.run_id}: {run.n_inputs} input(s) read, {run.n_skipped} already in the store, "
        f"{run.n_interactions} interactions, {run.n_grievances} grievances, {failed} record(s) failed, "
        f"quarters {', '.join(run.quarters) or '-'}"
    )
    print(hi.Store(args.store).partitions().to_string(index=False))


if __name__ == "__main__":
    main()
