#!/usr/bin/env python3
"""Parton-level t-tbar spectra of the `ttbar` card against a published 13 TeV measurement.

Generates the bundled `ttbar` card with the acceptance cuts switched off (full phase space,
ideal detector) twice: as shipped (GRV 94 LO densities, LO production angles, V-A decays) and
with the earlier production model chosen by card keys (toy densities, isotropic angles and
decays), then compares the normalised top pT, top rapidity and m(t t-bar) spectra bin by bin
with the measurement below. Nothing is fitted or tuned.

Reference: CMS Collaboration, "Measurements of t-tbar differential cross sections in
proton-proton collisions at sqrt(s) = 13 TeV using events containing two leptons",
JHEP 02 (2019) 149, arXiv:1811.06625 (CMS-TOP-17-014, 35.9 fb^-1), normalised differential
cross sections at parton level in the full phase space, HEPData record ins1703993 v1:
Table 3 (pT of the top quark), Table 43 (rapidity of the top quark), Table 91 (m(t t-bar)).
Values are the central values of those tables; the uncertainties are stat and syst added in
quadrature (the record gives them separately; bin-to-bin correlations are ignored here). The
measured distributions are normalised to the cross section inside the measured range, and so
are ours.

    benchmarks/parton_spectra.py [EVENTS] [SEED]      (defaults 400000, 1)
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

# (low, high, 1/sigma dsigma/dX, stat, syst) from HEPData ins1703993 v1.
TOP_PT = [  # GeV, 1/GeV (Table 3)
    (0, 65, 0.0041182, 4.38346e-05, 0.000194007),
    (65, 125, 0.00601568, 5.85539e-05, 0.000281829),
    (125, 200, 0.00335176, 2.96458e-05, 0.000115919),
    (200, 290, 0.000994837, 1.25342e-05, 3.86097e-05),
    (290, 400, 0.000221341, 3.4524e-06, 1.05595e-05),
    (400, 550, 4.07423e-05, 1.54512e-06, 2.95818e-06),
]
TOP_Y = [  # signed rapidity (Table 43)
    (-2.6, -1.8, 0.0737053, 0.00137032, 0.00395097),
    (-1.8, -1.35, 0.162103, 0.00166814, 0.004307),
    (-1.35, -0.9, 0.231407, 0.00237003, 0.00589711),
    (-0.9, -0.45, 0.279366, 0.00259742, 0.0058335),
    (-0.45, 0, 0.301158, 0.00283704, 0.008809),
    (0, 0.45, 0.303841, 0.00275573, 0.011172),
    (0.45, 0.9, 0.285665, 0.00256041, 0.00928933),
    (0.9, 1.35, 0.226562, 0.00224565, 0.00486261),
    (1.35, 1.8, 0.163545, 0.00165336, 0.00536922),
    (1.8, 2.6, 0.0773679, 0.00135171, 0.00327769),
]
MTT = [  # GeV, 1/GeV (Table 91)
    (300, 380, 0.00198085, 3.60102e-05, 0.000180426),
    (380, 470, 0.00399172, 4.86766e-05, 0.000183176),
    (470, 620, 0.00200949, 2.27056e-05, 5.71544e-05),
    (620, 820, 0.000636295, 1.08039e-05, 3.55165e-05),
    (820, 1100, 0.000143808, 4.13759e-06, 1.05488e-05),
    (1100, 1500, 2.71952e-05, 1.05664e-06, 2.05962e-06),
    (1500, 2500, 2.45043e-06, 2.396e-07, 4.64361e-07),
]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "deelema")


def card_text(old_model):
    text = open(os.path.join(ROOT, "topologies", "ttbar.toml")).read()
    text += "\n[cuts]\neta_max = inf\njet_pt_min = 0.0\nlepton_pt_min = 0.0\n"
    if old_model:
        text = text.replace('pdf = "grv94lo"', 'pdf = "toy"').replace('angles = "lo"', 'angles = "isotropic"')
        text = text.replace('model = "v-a"', 'model = "isotropic"')
    return text


def generate(old_model, events, seed, folder):
    name = "ttbar_old" if old_model else "ttbar_new"
    card = os.path.join(folder, name + ".toml")
    with open(card, "w") as f:
        f.write(card_text(old_model))
    out = os.path.join(folder, name + ".npz")
    subprocess.run([BIN, "generate", "--topology", card, "--events", str(events), "--detector", "ideal",
                    "--seed", str(seed), "--output", out], check=True, stdout=subprocess.DEVNULL)
    d = np.load(out)
    tops = np.concatenate([d["true_A1"], d["true_A2"]])
    pair = d["true_A1"] + d["true_A2"]
    pt = np.hypot(tops[:, 1], tops[:, 2])
    y = 0.5 * np.log((tops[:, 0] + tops[:, 3]) / (tops[:, 0] - tops[:, 3]))
    m = np.sqrt(np.maximum(pair[:, 0] ** 2 - (pair[:, 1:] ** 2).sum(axis=1), 0))
    return {"pt": pt, "y": y, "m": m}


def normalised(values, table):
    edges = np.array([t[0] for t in table] + [table[-1][1]], dtype=float)
    counts, _ = np.histogram(values, bins=edges)
    widths = np.diff(edges)
    return counts / counts.sum() / widths, np.sqrt(counts) / counts.sum() / widths


def binned_mean(density, table):
    centres = np.array([(t[0] + t[1]) / 2 for t in table])
    widths = np.array([t[1] - t[0] for t in table])
    return float((density * widths * centres).sum() / (density * widths).sum())


def compare(label, unit, key, table, new, old):
    data = np.array([t[2] for t in table])
    err = np.array([np.hypot(t[3], t[4]) for t in table])
    dn, en = normalised(new[key], table)
    do, eo = normalised(old[key], table)
    print(f"\n#### {label}\n")
    print(f"| bin {unit} | CMS 1/sigma dsigma/dX | new model | new / CMS | earlier model | earlier / CMS |")
    print("|---|---|---|---|---|---|")
    for i, t in enumerate(table):
        print(f"| {t[0]:g} - {t[1]:g} | {data[i]:.4g} +- {err[i] / data[i] * 100:.1f} % | {dn[i]:.4g} | "
              f"{dn[i] / data[i]:.3f} | {do[i]:.4g} | {do[i] / data[i]:.3f} |")
    chi_new = float((((dn - data) / np.hypot(err, en)) ** 2).sum())
    chi_old = float((((do - data) / np.hypot(err, eo)) ** 2).sum())
    print(f"\nchi2 / bins (uncorrelated, total data uncertainty and MC statistics): new {chi_new:.1f} / {len(table)}, "
          f"earlier {chi_old:.1f} / {len(table)}")
    return binned_mean(data, table), binned_mean(dn, table), binned_mean(do, table)


def main():
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with tempfile.TemporaryDirectory() as folder:
        new = generate(False, events, seed, folder)
        old = generate(True, events, seed, folder)
    print(f"ttbar card, {events} events each, seed {seed}, cuts off, ideal detector; both tops per event")
    means = {}
    for label, unit, key, table in [("top pT", "(GeV)", "pt", TOP_PT), ("top rapidity", "", "y", TOP_Y),
                                    ("m(t t-bar)", "(GeV)", "m", MTT)]:
        means[key] = compare(label, unit, key, table, new, old)
    print("\n| quantity | CMS (bin centres) | new (bin centres) | earlier (bin centres) | new, exact mean | earlier, exact mean |")
    print("|---|---|---|---|---|---|")
    for key, label in [("pt", "mean top pT (GeV)"), ("m", "mean m(t t-bar) (GeV)")]:
        d, n, o = means[key]
        print(f"| {label} | {d:.1f} | {n:.1f} ({(n / d - 1) * 100:+.1f} %) | {o:.1f} ({(o / d - 1) * 100:+.1f} %) | "
              f"{new[key].mean():.1f} | {old[key].mean():.1f} |")
    print(f"| rms top rapidity | | | | {new['y'].std():.3f} | {old['y'].std():.3f} |")


if __name__ == "__main__":
    main()
