"""The Python module (bindings/python/culpa.py) against the built library."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bindings", "python"))
import culpa  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LEXICONS = os.path.join(HERE, "..", "lexicons")
SAMPLE = os.path.join(HERE, "data", "sample_reviews.jsonl")


class Module(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = culpa.Culpa(lexicons=LEXICONS)

    @classmethod
    def tearDownClass(cls):
        cls.c.close()

    def test_score_one_text(self):
        r = self.c.score("The waiter was rude and the food was cold.")
        self.assertEqual(r["verdict"], "business")
        self.assertEqual(r["lang"], "en")
        self.assertLess(r["sentiment"], 0)
        self.assertAlmostEqual(r["blame"], r["blame_business"] - r["blame_customer"], places=3)
        self.assertEqual(self.c.score("Totally my fault, I booked the wrong date.")["verdict"], "customer")
        self.assertEqual(self.c.score("服务员态度很差。")["lang"], "zh")

    def test_long_text_grows_the_buffer(self):
        r = culpa.Culpa(lexicons=LEXICONS, explain=True).score("rude " * 5000)
        self.assertEqual(len(r["explain"]), 5000)

    def test_score_file_gives_one_row_per_record_in_order(self):
        rows = self.c.score_file(SAMPLE)
        with open(SAMPLE, encoding="utf-8") as f:
            ids = [line.split('"review_id": "')[1].split('"')[0] for line in f if line.strip()]
        self.assertEqual([r["id"] for r in rows], ids)

    def test_score_file_options_and_shards(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write('body,num\n"Rude, slow staff",1\nLovely place,2\n"My mistake",3\n')
        try:
            rows = self.c.score_file(f.name, text_field="body", id_field="num", threads=2)
            self.assertEqual([r["id"] for r in rows], ["1", "2", "3"])
            parts = self.c.score_file(f.name, text_field="body", shard="1/2") + self.c.score_file(
                f.name, text_field="body", shard="2/2")
            self.assertEqual([r["verdict"] for r in parts], [r["verdict"] for r in rows])
            with self.assertRaises(culpa.CulpaError):
                self.c.score_file(f.name, input_format="xml")
        finally:
            os.unlink(f.name)

    def test_errors_are_clear(self):
        with self.assertRaises(culpa.CulpaError) as e:
            self.c.score_file("/nonexistent/reviews.jsonl")
        self.assertIn("/nonexistent/reviews.jsonl", str(e.exception))
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "en"))
            with open(os.path.join(d, "en", "bad.tsv"), "w") as f:
                f.write("good\tval\tlots\n")
            with self.assertRaises(culpa.CulpaError) as e:
                culpa.Culpa(lexicons=d)
            self.assertIn("bad.tsv:1", str(e.exception))

    def test_module_functions(self):
        os.environ.setdefault("CULPA_LEXICONS", LEXICONS)
        self.assertEqual(culpa.score("Great staff, great food.")["verdict"], "none")
        self.assertEqual(len(culpa.score_file(SAMPLE)), 24)


if __name__ == "__main__":
    unittest.main()
