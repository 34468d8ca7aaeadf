#!/usr/bin/env python3
"""Writes a tricky qrels/run pair and the per-query output of the real trec_eval on it, for RunEvaluator's golden tests.

Usage: python3 tools/trec-eval-golden/make_fixture.py PATH/TO/trec_eval tests/Rerank.Evaluation.Tests/Fixtures/trec-eval

Build trec_eval from https://github.com/usnistgov/trec_eval (make). The data has what breaks naive evaluators: scores
with many ties (broken by docid in descending strcmp order, so "9" before "10"), graded judgements 0-3, unjudged
documents, queries with no relevant document, a run query that is not judged, judged queries missing from a run (evaluated with -c),
and lists shorter than the cut-offs.
"""
import random
import subprocess
import sys
from pathlib import Path

trec_eval, out = sys.argv[1], Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(20261201)
qrels, run, missing = [], [], []
for q in range(1, 41):
    qid = str(q)
    docs = [str(d) for d in range(1, 60)] + [f"d{d}" for d in range(1, 20)]
    judged = rng.sample(docs, rng.randint(3, 25))
    no_relevant = q % 9 == 0
    for d in judged:
        qrels.append(f"{qid} 0 {d} {0 if no_relevant else rng.choice([0, 0, 1, 1, 2, 3])}")
    length = rng.choice([3, 7, 20, 60])
    for rank, d in enumerate(rng.sample(docs, length), start=1):
        score = round(rng.uniform(0, 3), 1)  # one decimal: many ties
        (missing if q % 13 == 0 else run).append(f"{qid} Q0 {d} {rank} {score} golden")
for rank, d in enumerate(["1", "2"], start=1):
    run.append(f"999 Q0 {d} {rank} 1.0 golden")  # not judged: left out with a warning

(out / "qrels.txt").write_text("\n".join(qrels) + "\n")
(out / "run.txt").write_text("\n".join(run + missing) + "\n")
# trec_eval (9.0.8) exits when a judged query is missing from the run unless -c is given, so that case has its own run.
(out / "run-missing.txt").write_text("\n".join(run) + "\n")
measures = ["-m", "ndcg_cut.5,10,100", "-m", "ndcg", "-m", "recip_rank", "-m", "map", "-m", "map_cut.5,10",
            "-m", "recall.5,100", "-m", "P.5,10", "-m", "success.1,5"]
for name, flags, run_file in [("default", [], "run.txt"), ("all-queries", ["-c"], "run-missing.txt"), ("level2", ["-l2"], "run.txt")]:
    result = subprocess.run([trec_eval, "-q", *flags, *measures, str(out / "qrels.txt"), str(out / run_file)],
                            check=True, capture_output=True, text=True)
    (out / f"trec_eval-{name}.txt").write_text(result.stdout)
