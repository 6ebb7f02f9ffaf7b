"""Score a review dump on a Dask cluster, one task per shard.

    from dask.distributed import Client
    import culpa_dask
    client = Client("scheduler-host:8786")          # or LocalCluster() for one machine
    rows = culpa_dask.score("reviews.jsonl", shards=64, client=client)   # bytes, in order
    paths = culpa_dask.score("reviews.jsonl", shards=64, client=client, out_dir="/shared/scored")

Each task runs `culpa score --shard K/N` on a worker, so every worker needs
the `culpa` program and the input at the same path (a shared file system,
or the same file copied to every host).  The shards' outputs, concatenated
in order, are byte for byte the output of one `culpa score` over the whole
file.
"""

import os
import subprocess

__all__ = ["score"]


def _score_shard(path, k, n, culpa, options, out_dir):
    """One task: shard k (1-based) of n.  Returns the rows, or the path of
    the file they were written to."""
    command = [culpa, "score", "--shard", "%d/%d" % (k, n), *options, path]
    if out_dir is None:
        return subprocess.run(command, check=True, stdout=subprocess.PIPE).stdout
    target = os.path.join(out_dir, "part-%05d-of-%05d" % (k, n))
    subprocess.run(command + ["-o", target], check=True)
    return target


def score(path, shards, client, culpa="culpa", options=(), out_dir=None):
    """Score `path` as `shards` tasks on the Dask `client`.

    options: extra `culpa score` arguments (["--format", "tsv"], say).
    Returns the whole output as bytes, in input order, or with `out_dir`
    the list of the shard files written there (on the workers' file
    system), in order."""
    path = os.path.abspath(path)
    futures = [client.submit(_score_shard, path, k, shards, culpa, list(options), out_dir,
                             key="culpa-shard-%d-of-%d-%s" % (k, shards, os.path.basename(path)), pure=False)
               for k in range(1, shards + 1)]
    parts = client.gather(futures)
    return parts if out_dir is not None else b"".join(parts)
