#!/usr/bin/env python3
"""Vectorised numpy peer of the Swift generator: the t-tbar card through the same physics
(NDE LO gg + qqbar production with x g = 3 (1-x)^5, x q = 0.6 (1-x)^3, unweighted by
accept-reject in (ln tau, y) against a piecewise envelope; relativistic Breit-Wigner masses by
the tan mapping truncated at 15 Gamma and clipped by the parent; isotropic two-body decays
boosted to the lab; CMS Delphes smearing; acceptance cuts; pT sorting and pairing flag).

Usage: numpy_generator.py [--events N] [--repeats R]
Prints `RESULT impl=numpy events=N seconds=S rate=R cpu_seconds=C rate_per_cpu_second=Q acceptance=A`
(best of R runs; numpy runs these kernels on one thread).
`generate(n, rng)` returns the in-memory dict of arrays (reusable by other scripts).
"""
import argparse
import time

import numpy as np

SQRT_S = 13000.0
M_A, G_A, M_B, G_B, M_C, M_a, M_b = 172.5, 1.32, 80.38, 2.085, 0.0, 4.7, 0.0
AG2, EG, AQ2, EQ = 9.0, 5.0, 0.36, 3.0
ETA_MAX, JET_PT, LEP_PT = 2.5, 20.0, 10.0
S = SQRT_S ** 2
TAU0 = 4 * M_A ** 2 / S
BINS = 256


def f_gg(rho):
    beta = np.sqrt(1 - rho)
    return (1 + rho + rho ** 2 / 16) * np.log((1 + beta) / (1 - beta)) - beta * (1.75 + 31 * rho / 16)


def f_qq(rho):
    return 8.0 / 9.0 * np.sqrt(1 - rho) * (1 + rho / 2)


def weight(tau, y):
    x1, x2 = np.sqrt(tau) * np.exp(y), np.sqrt(tau) * np.exp(-y)
    p = (1 - x1) * (1 - x2)
    rho = TAU0 / tau
    return (AG2 * p ** EG * f_gg(rho) + AQ2 * p ** EQ * f_qq(rho)) * (-np.log(tau)) / tau


def envelope():
    ln0 = np.log(TAU0)
    width = -ln0 / BINS
    pts = ln0 + (np.arange(BINS)[:, None] + np.linspace(0, 1, 33)[None, :]) * width
    env = 1.1 * weight(np.exp(pts), 0.0).max(axis=1)
    cum = np.cumsum(env)
    return ln0, width, env, cum / cum[-1]


LN0, WIDTH, ENV, CUM = envelope()


def production(n, rng):
    """n unweighted (shat, y)."""
    out_s, out_y, have = [], [], 0
    while have < n:
        m = int((n - have) * 2.6) + 64
        k = np.searchsorted(CUM, rng.random(m), side="right")
        lt = LN0 + (k + rng.random(m)) * WIDTH
        tau = np.exp(lt)
        y = (2 * rng.random(m) - 1) * (-0.5 * lt)
        ok = rng.random(m) * ENV[k] < weight(tau, y)
        out_s.append(tau[ok] * S)
        out_y.append(y[ok])
        have += ok.sum()
    return np.concatenate(out_s)[:n], np.concatenate(out_y)[:n]


def bw(u, pole, width, lo, hi):
    t0 = np.arctan((lo ** 2 - pole ** 2) / (pole * width))
    t1 = np.arctan((hi ** 2 - pole ** 2) / (pole * width))
    m2 = pole ** 2 + pole * width * np.tan(t0 + u * (t1 - t0))
    return np.clip(np.sqrt(m2), lo, hi)


def direction(n, rng):
    c = 2 * rng.random(n) - 1
    phi = 2 * np.pi * rng.random(n)
    s = np.sqrt(1 - c * c)
    return np.stack([s * np.cos(phi), s * np.sin(phi), c], axis=1)


def decay(parent, m, m1, m2, rng):
    """Isotropic two-body decay of parent (n,4) with mass m into m1, m2; lab daughters."""
    lam = (m ** 2 - (m1 + m2) ** 2) * (m ** 2 - (m1 - m2) ** 2)
    q = np.sqrt(np.maximum(lam, 0)) / (2 * m)
    n = direction(len(m), rng) * q[:, None]
    e1, e2 = np.sqrt(m1 ** 2 + q ** 2), np.sqrt(m2 ** 2 + q ** 2)
    E, P = parent[:, 0], parent[:, 1:]
    pq = (P * n).sum(axis=1)
    k1 = (pq / (E + m) + e1) / m
    k2 = (-pq / (E + m) + e2) / m
    d1 = np.column_stack([(E * e1 + pq) / m, n + k1[:, None] * P])
    d2 = np.column_stack([(E * e2 - pq) / m, -n + k2[:, None] * P])
    return d1, d2


def pt(v):
    return np.hypot(v[:, 1], v[:, 2])


def smear_jet(v, rng):
    e = v[:, 0]
    sigma = np.sqrt(e * e * 2.5e-3 + e * 2.25)
    k = np.maximum(0, 1 + sigma * rng.standard_normal(len(e)) / e)
    return v * k[:, None]


def smear_muon(v, rng):
    p = pt(v)
    a = np.abs(v[:, 3])
    rel = np.where(a <= p * np.sinh(0.5), np.sqrt(1e-4 + p * p * 1e-8),
                   np.where(a <= p * np.sinh(1.5), np.sqrt(2.25e-4 + p * p * 2.25e-8),
                            np.sqrt(6.25e-4 + p * p * 1.225e-7)))
    k = np.maximum(0, 1 + rel * rng.standard_normal(len(p)))
    out = v * k[:, None]
    out[:, 0] = np.sqrt(np.maximum(v[:, 0] ** 2 - (v[:, 1:] ** 2).sum(1), 0) + k * k * (v[:, 1:] ** 2).sum(1))
    return out


def accepted(v, min_pt):
    p = pt(v)
    return (p > min_pt) & (np.abs(v[:, 3]) < p * np.sinh(ETA_MAX))


def candidates(n, rng):
    shat, y = production(n, rng)
    rs = np.sqrt(shat)
    lo_a, hi_a = max(M_A - 15 * G_A, M_a + M_B - 15 * G_B), M_A + 15 * G_A
    lo_b, hi_b = max(M_B - 15 * G_B, M_b + M_C + 1e-6), M_B + 15 * G_B
    mA1 = bw(rng.random(n), M_A, G_A, lo_a, np.minimum(hi_a, rs - lo_a))
    mA2 = bw(rng.random(n), M_A, G_A, lo_a, np.minimum(hi_a, rs - mA1))
    system = np.column_stack([rs * np.cosh(y), np.zeros(n), np.zeros(n), rs * np.sinh(y)])
    A1, A2 = decay(system, rs, mA1, mA2, rng)
    out = {"true_A1": A1, "true_A2": A2}
    for i, (A, mA) in enumerate([(A1, mA1), (A2, mA2)], start=1):
        mB = bw(rng.random(n), M_B, G_B, lo_b, np.minimum(hi_b, mA - M_a))
        a, B = decay(A, mA, np.full(n, M_a), mB, rng)
        b, C = decay(B, mB, np.full(n, M_b), np.full(n, M_C), rng)
        out.update({f"true_a{i}": a, f"true_B{i}": B, f"true_b{i}": b, f"true_C{i}": C})
    return out


def detector(t, rng):
    a = [smear_jet(t["true_a1"], rng), smear_jet(t["true_a2"], rng)]
    b = [smear_muon(t["true_b1"], rng), smear_muon(t["true_b2"], rng)]
    keep = accepted(a[0], JET_PT) & accepted(a[1], JET_PT) & accepted(b[0], LEP_PT) & accepted(b[1], LEP_PT)
    a = [v[keep] for v in a]
    b = [v[keep] for v in b]
    t = {k: v[keep] for k, v in t.items()}
    swap = pt(a[1]) > pt(a[0])
    w = swap[:, None]
    out = {"a1": np.where(w, a[1], a[0]), "a2": np.where(w, a[0], a[1])}
    hard0 = pt(b[0]) >= pt(b[1])
    h = hard0[:, None]
    out["b1"], out["b2"] = np.where(h, b[0], b[1]), np.where(h, b[1], b[0])
    vis = a[0] + a[1] + b[0] + b[1]
    out["met"] = -vis[:, 1:3]
    out["pairing"] = np.where(hard0 != swap, 0, 1).astype(np.int32)
    for x in ["A", "B", "C", "a", "b"]:
        one, two = t[f"true_{x}1"], t[f"true_{x}2"]
        out[f"true_{x}1"], out[f"true_{x}2"] = np.where(w, two, one), np.where(w, one, two)
    return out, keep.mean()


def generate(n, rng, chunk=262144):
    """Exactly n accepted events, in memory (dict of arrays)."""
    parts, have, gen, acc = [], 0, 0, 0
    while have < n:
        out, eff = detector(candidates(chunk, rng), rng)
        parts.append(out)
        have += len(out["a1"])
        gen += chunk
        acc += len(out["a1"])
    joined = {k: np.concatenate([p[k] for p in parts])[:n] for k in parts[0]}
    return joined, acc / gen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--npz", help="also time generating and writing the sample to this npz file (np.savez)")
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    generate(100_000, rng)
    best, best_cpu, eff = float("inf"), float("inf"), 0.0
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        _, eff = generate(args.events, rng)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    print(f"RESULT impl=numpy events={args.events} seconds={best:.4f} rate={args.events / best:.0f} "
          f"cpu_seconds={best_cpu:.4f} rate_per_cpu_second={args.events / best_cpu:.0f} acceptance={eff:.4f}")
    if args.npz:
        t0 = time.perf_counter()
        sample, _ = generate(args.events, rng)
        np.savez(args.npz, **sample)
        seconds = time.perf_counter() - t0
        print(f"RESULT impl=numpy-npz events={args.events} seconds={seconds:.4f} rate={args.events / seconds:.0f}")


if __name__ == "__main__":
    main()
