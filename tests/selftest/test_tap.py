"""Unit tests of tests/tap.py parsing and tests/bench.py budget evaluation.

Run: python3 -m unittest discover -s tests/selftest -p 'test_*.py'
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import bench  # noqa: E402
import tap  # noqa: E402


def parse(text):
    """Feed ``text`` line by line to a fresh TapParser and return it."""
    p = tap.TapParser()
    for line in text.splitlines():
        p.feed(line)
    return p


class TapParserTest(unittest.TestCase):
    def test_counts_top_level_only(self):
        p = parse("TAP version 13\n1..2\nok 1 - a\n    not ok 1 - sub\n"
                  "    1..1\n# not ok 3 - comment\nnot ok 2 - b\n")
        self.assertEqual((len(p.passed), len(p.failed)), (1, 1))
        self.assertEqual(p.plan, 2)
        self.assertIsNone(p.plan_problem())
        self.assertEqual(p.failed[0].title(), "not ok 2 - b")

    def test_directives(self):
        p = parse("1..4\nok 1 - a # SKIP no fpu\nnot ok 2 - b # TODO later\n"
                  "not ok 3 - c # skipped: n/a\nok 4 - d \\# not a directive\n")
        self.assertEqual(p.skipped, 2)
        self.assertEqual(p.todo, 1)
        self.assertEqual(len(p.failed), 0)
        self.assertEqual(p.results[0].description, "a")
        self.assertEqual(p.results[0].reason, "no fpu")
        self.assertIsNone(p.results[3].directive)

    def test_not_results(self):
        p = parse("okay then\nnot okay\nok1\nBOOT ok 1\n 1..5\n")
        self.assertEqual(p.results, [])
        self.assertIsNone(p.plan)

    def test_bare_and_crlf(self):
        p = parse("1..3\r\nok\r\nnot ok\nok 3\n")
        self.assertEqual(len(p.results), 3)
        self.assertEqual(p.results[1].title(), "not ok")
        self.assertEqual(p.results[2].number, 3)

    def test_plan_problems(self):
        self.assertIn("no TAP plan", parse("ok 1\n").plan_problem())
        self.assertIn("1..3 but 1", parse("1..3\nok 1\n").plan_problem())
        self.assertIn("1..1 but 2", parse("1..1\nok 1\nok 2\n").plan_problem())
        self.assertIsNone(parse("ok 1\nok 2\n1..2\n").plan_problem())
        self.assertIsNone(parse("1..0 # SKIP nothing here\n").plan_problem())
        self.assertIn("more than one", parse("1..1\nok 1\n1..1\n").plan_problem())

    def test_bail_out(self):
        self.assertEqual(parse("1..2\nBail out! no memory\n").bail_out,
                         "no memory")

    def test_guest_exit_words(self):
        self.assertIn("0x2", tap.describe_guest_exit(5))
        self.assertIn("triple fault", tap.describe_guest_exit(0))
        self.assertIn("SIGKILL", tap.describe_guest_exit(-9))


class BenchTest(unittest.TestCase):
    def test_evaluate(self):
        v = {"a": 10.0, "b": 4.0}
        self.assertEqual(bench.evaluate("a / b", v), 2.5)
        self.assertEqual(bench.evaluate("a / 4096", v), 10 / 4096)
        with self.assertRaises(bench.MissingInput):
            bench.evaluate("a / c", v)
        with self.assertRaises(bench.MissingInput):
            bench.evaluate("a / (b - 4)", v)
        with self.assertRaises(ValueError):
            bench.evaluate("__import__('os')", v)

    def test_rows(self):
        rows = {r.name: r for r in bench.build_rows(
            {"null_trap": 61, "rpc_rt_inter_task": 400, "extra": 1.5},
            ["null_trap", "rpc_rt_inter_task", "extra"])}
        self.assertEqual(rows["null_trap"].result, "FAIL")
        self.assertTrue(rows["null_trap"].failed)
        self.assertEqual(rows["rpc_rt_inter_task"].result,
                         "PASS (stretch met)")
        self.assertEqual(rows["kernel_rpc_rt"].value, "n/a")
        self.assertFalse(rows["kernel_rpc_rt"].failed)
        self.assertEqual((rows["extra"].value, rows["extra"].result),
                         ("1.50", "--"))

    def test_rows_not_judged(self):
        rows = bench.build_rows({"null_trap": 1000}, ["null_trap"],
                                judge=False)
        self.assertFalse(any(r.failed for r in rows))

    def test_bench_line(self):
        m = bench.BENCH_RE.match("BENCH longipc_4k 1234.5 insns\r")
        self.assertEqual(m.groups(), ("longipc_4k", "1234.5", "insns"))
        self.assertIsNone(bench.BENCH_RE.match("BENCH x 12 insns extra"))
        self.assertIsNone(bench.BENCH_RE.match("BENCH x -3 insns"))


if __name__ == "__main__":
    unittest.main()
