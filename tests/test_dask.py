"""culpa_dask on a LocalCluster of worker processes: the gathered shards
equal one culpa score over the whole file, byte for byte."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bindings", "python"))
import culpa_dask  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402

CULPA = os.environ["CULPA"]


class OnALocalCluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dump = os.path.join(cls.tmp.name, "dump.jsonl")
        subprocess.run([CULPA, "corpus", "--size", "2M", "--langs", "en,zh", "--seed", "4", "-o", cls.dump],
                       check=True)
        cls.whole = subprocess.run([CULPA, "score", cls.dump], check=True, stdout=subprocess.PIPE).stdout
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()

    def test_two_workers_at_least(self):
        self.assertGreaterEqual(len(self.client.scheduler_info()["workers"]), 2)

    def test_gathered_rows_equal_the_single_process_output(self):
        rows = culpa_dask.score(self.dump, shards=5, client=self.client, culpa=CULPA)
        self.assertEqual(rows, self.whole)

    def test_one_file_per_shard(self):
        out = os.path.join(self.tmp.name, "scored")
        os.mkdir(out)
        paths = culpa_dask.score(self.dump, shards=3, client=self.client, culpa=CULPA, out_dir=out)
        self.assertEqual(len(paths), 3)
        joined = b""
        for p in paths:
            with open(p, "rb") as f:
                joined += f.read()
        self.assertEqual(joined, self.whole)

    def test_options_pass_through(self):
        tsv = culpa_dask.score(self.dump, shards=4, client=self.client, culpa=CULPA, options=["-f", "tsv"])
        whole = subprocess.run([CULPA, "score", "-f", "tsv", self.dump], check=True,
                               stdout=subprocess.PIPE).stdout
        self.assertEqual(tsv, whole)
        self.assertEqual(tsv.count(b"\nid\t"), 0)  # one header row, the first shard's


if __name__ == "__main__":
    unittest.main()
