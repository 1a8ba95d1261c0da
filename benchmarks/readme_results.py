#!/usr/bin/env python3
"""Rewrites the generated part of the README "Results" section from docs/results (the output of
benchmarks/harness_results.sh): the bench tables of ttbar and toy and the sweep summaries.
Usage: python3 benchmarks/readme_results.py [RESULTS_DIR]"""
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "docs", "results")
rel = os.path.relpath(results, root)


def report_block(card, title):
    lines = open(os.path.join(results, f"bench_{card}", "report.md")).read().splitlines()
    keep = [l for l in lines if l.startswith("Events:") or l.startswith("True masses:")]
    table = [l for l in lines if l.startswith("|")]
    return [f"### {title}", ""] + keep + [""] + table + ["",
            f"Full report, notes and figures: [{rel}/bench_{card}/report.md]({rel}/bench_{card}/report.md).", ""]


def sweep_block(card, label):
    text = open(os.path.join(results, f"sweep_{card}", "summary.md")).read().splitlines()
    out = [f"{label}, M_A ([all tables]({rel}/sweep_{card}/summary.md)):", "",
           f"![{card} sweep, M_A]({rel}/sweep_{card}/summary_M_A.png)", ""]
    keep = False
    for l in text:
        if l.startswith("#### ") or l.startswith("## M_") or l.startswith("### M_"):
            keep = True
            out.append("#### " + l.lstrip("# ").strip())
            continue
        if keep and (l.startswith("|") or not l.strip()):
            out.append(l)
    return out + [""]


generated = (report_block("ttbar", "t-tbar (`ttbar` card), CMS detector, unknown pairing: `make run`")
             + report_block("toy", "Toy spectrum (`toy` card: 1000 / 800 / 700 GeV), CMS detector, unknown pairing")
             + ["### Robustness: estimated masses against the smearing scale", ""]
             + sweep_block("ttbar", "t-tbar") + sweep_block("toy", "Toy"))

readme_path = os.path.join(root, "README.md")
readme = open(readme_path).read()
start = readme.index("### t-tbar (`ttbar` card)")
end = readme.index("### What these numbers say")
collapsed = "\n".join(generated)
while "\n\n\n" in collapsed:
    collapsed = collapsed.replace("\n\n\n", "\n\n")
open(readme_path, "w").write(readme[:start] + collapsed.rstrip("\n") + "\n\n" + readme[end:])
