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


def calibration_block(card, title):
    path = os.path.join(results, f"calibration_{card}", "report.md")
    if not os.path.exists(path):
        return []
    lines = open(path).read().splitlines()
    first = [l for l in lines if l.startswith("# ")][0]
    setup = next(l for l in lines if "pseudo-experiments of" in l)
    table, seen = [], False
    for l in lines:
        if l.startswith("| method |"):
            seen = True
        if seen:
            if not l.startswith("|"):
                break
            table.append(l)
    d = f"{rel}/calibration_{card}"
    return [f"### {title}", "", setup, "", *table, "",
            f"![calibration]({d}/calibration.png)", "", f"![precision against JES shift]({d}/precision_vs_jes.png)", "",
            f"Per-point tables, closure and pulls: [{d}/report.md]({d}/report.md).", ""]


generated = (calibration_block("ttbar", "Calibrated comparison: t-tbar (`ttbar` card), CMS detector, unknown pairing")
             + report_block("ttbar", "t-tbar (`ttbar` card), CMS detector, unknown pairing: `make run`")
             + report_block("toy", "Toy spectrum (`toy` card: 1000 / 800 / 700 GeV), CMS detector, unknown pairing")
             + ["### Robustness: estimated masses against the smearing scale", ""]
             + sweep_block("ttbar", "t-tbar") + sweep_block("toy", "Toy")
             + (sweep_block("ttbar_fitres", "t-tbar, the kinematic fits assuming the nominal CMS resolution at every "
                            "smearing scale (`--fit-resolution cms:1`: mis-modelled away from scale 1)")
                if os.path.exists(os.path.join(results, "sweep_ttbar_fitres", "summary.md")) else []))

readme_path = os.path.join(root, "README.md")
readme = open(readme_path).read()
start = readme.index("### Calibrated comparison") if "### Calibrated comparison" in readme else readme.index("### t-tbar (`ttbar` card)")
end = readme.index("### What these numbers say")
collapsed = "\n".join(generated)
while "\n\n\n" in collapsed:
    collapsed = collapsed.replace("\n\n\n", "\n\n")
open(readme_path, "w").write(readme[:start] + collapsed.rstrip("\n") + "\n\n" + readme[end:])
