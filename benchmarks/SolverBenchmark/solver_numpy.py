"""numpy peer of the Swift analytic dilepton solver (same algorithm, vectorised over events).

Reads the files written by `SolverBenchmark <events> <dir>`: <dir>/<name>_events.f64, (N, 18)
float64 rows a1 b1 a2 b2 (E, px, py, pz; chain-ordered) and MET (x, y), and
<dir>/<name>_counts.i32, the Swift solution counts. Prints events/s and the fraction of events
where the numpy and Swift solution counts agree.
Usage: python3 solver_numpy.py <dir>
"""
import sys
import time

import numpy as np

CASES = {"ttbar": (172.5, 80.38, 0.0), "toy": (1000.0, 800.0, 700.0)}


def chain(a, b, mA2, mB2, mC2):
    s = a + b
    det = b[:, 3] * s[:, 0] - b[:, 0] * s[:, 3]
    mb2 = b[:, 0] ** 2 - (b[:, 1:] ** 2).sum(1)
    ms2 = s[:, 0] ** 2 - (s[:, 1:] ** 2).sum(1)
    kA = 0.5 * (mA2 - mC2 - ms2)
    kB = 0.5 * (mB2 - mC2 - mb2)
    e0 = (-s[:, 3] * kB + b[:, 3] * kA) / det
    ex = (b[:, 3] * s[:, 1] - s[:, 3] * b[:, 1]) / det
    ey = (b[:, 3] * s[:, 2] - s[:, 3] * b[:, 2]) / det
    z0 = (b[:, 0] * kA - s[:, 0] * kB) / det
    zx = (b[:, 0] * s[:, 1] - s[:, 0] * b[:, 1]) / det
    zy = (b[:, 0] * s[:, 2] - s[:, 0] * b[:, 2]) / det
    conic = np.stack([ex**2 - 1 - zx**2, 2 * (ex * ey - zx * zy), ey**2 - 1 - zy**2,
                      2 * (e0 * ex - z0 * zx), 2 * (e0 * ey - z0 * zy), e0**2 - z0**2 - mC2], 1)
    return conic, (e0, ex, ey, z0, zx, zy)


def reflect(q, mx, my):
    xx, xy, yy, x, y, c = q.T
    return np.stack([xx, xy, yy, -2 * xx * mx - xy * my - x, -xy * mx - 2 * yy * my - y,
                     xx * mx**2 + xy * mx * my + yy * my**2 + x * mx + y * my + c], 1)


def value(q, u, v):
    return q[:, 0] * u * u + q[:, 1] * u * v + q[:, 2] * v * v + q[:, 3] * u + q[:, 4] * v + q[:, 5]


def grad(q, u, v):
    return 2 * q[:, 0] * u + q[:, 1] * v + q[:, 3], q[:, 1] * u + 2 * q[:, 2] * v + q[:, 4]


def solve(ev, mA, mB, mC):
    S = mA
    ev = ev / S
    mA2, mB2, mC2 = 1.0, (mB / S) ** 2, (mC / S) ** 2
    a1, b1, a2, b2, met = ev[:, 0:4], ev[:, 4:8], ev[:, 8:12], ev[:, 12:16], ev[:, 16:18]
    q1, l1 = chain(a1, b1, mA2, mB2, mC2)
    q2c, l2 = chain(a2, b2, mA2, mB2, mC2)
    mx, my = met[:, 0], met[:, 1]
    q2 = reflect(q2c, mx, my)
    t2, p1, a2c, t1, p0, t0 = q1[:, 0], q1[:, 1], q1[:, 2], q1[:, 3], q1[:, 4], q1[:, 5]
    s2, r1, b2c, s1, r0, s0 = q2[:, 0], q2[:, 1], q2[:, 2], q2[:, 3], q2[:, 4], q2[:, 5]
    u2, u1, u0 = a2c * s2 - b2c * t2, a2c * s1 - b2c * t1, a2c * s0 - b2c * t0
    v1, v0 = a2c * r1 - b2c * p1, a2c * r0 - b2c * p0
    w3 = p1 * s2 - r1 * t2
    w2 = p1 * s1 + p0 * s2 - r1 * t1 - r0 * t2
    w1 = p1 * s0 + p0 * s1 - r1 * t0 - r0 * t1
    w0 = p0 * s0 - r0 * t0
    c4 = u2 * u2 - v1 * w3
    c3 = 2 * u2 * u1 - (v1 * w2 + v0 * w3)
    c2 = u1 * u1 + 2 * u2 * u0 - (v1 * w1 + v0 * w2)
    c1 = 2 * u1 * u0 - (v1 * w0 + v0 * w1)
    c0 = u0 * u0 - v0 * w0
    n = len(ev)
    comp = np.zeros((n, 4, 4))
    comp[:, 1, 0] = comp[:, 2, 1] = comp[:, 3, 2] = 1
    comp[:, :, 3] = -np.stack([c0, c1, c2, c3], 1) / c4[:, None]
    roots = np.linalg.eigvals(comp)
    xs, ys, ok = [], [], []
    size1, size2 = np.abs(q1).sum(1), np.abs(q2).sum(1)
    for k in range(4):
        re, im = roots[:, k].real, roots[:, k].imag
        near = np.abs(im) <= 1e-2 * (1 + np.abs(re))
        A, B, C = q1[:, 2], q1[:, 1] * re + q1[:, 4], (q1[:, 0] * re + q1[:, 3]) * re + q1[:, 5]
        disc = np.sqrt(np.maximum(B * B - 4 * A * C, 0))
        qq = -0.5 * (B + np.where(B >= 0, disc, -disc))
        for y0 in (qq / A, C / qq):
            x, y = re.copy(), y0.copy()
            with np.errstate(all="ignore"):
                for _ in range(30):
                    f1, f2 = value(q1, x, y), value(q2, x, y)
                    g11, g12 = grad(q1, x, y)
                    g21, g22 = grad(q2, x, y)
                    d = g11 * g22 - g12 * g21
                    x = x - (f1 * g22 - f2 * g12) / d
                    y = y - (g11 * f2 - g21 * f1) / d
                good = near & (np.abs(value(q1, x, y)) <= 1e-9 * size1) & (np.abs(value(q2, x, y)) <= 1e-9 * size2)
                e1 = l1[0] + l1[1] * x + l1[2] * y
                e2 = l2[0] + l2[1] * (mx - x) + l2[2] * (my - y)
            xs.append(x); ys.append(y); ok.append(good & (e1 > 0) & (e2 > 0))
    xs, ys, ok = np.array(xs), np.array(ys), np.array(ok)
    count = np.zeros(n, dtype=np.int32)
    for j in range(len(xs)):
        dup = np.zeros(n, dtype=bool)
        for i in range(j):
            dup |= ok[i] & (np.abs(xs[i] - xs[j]) + np.abs(ys[i] - ys[j]) < 1e-8 * (1 + np.abs(xs[j]) + np.abs(ys[j])))
        count += (ok[j] & ~dup).astype(np.int32)
    return np.minimum(count, 4)


def main():
    d = sys.argv[1]
    for name, (mA, mB, mC) in CASES.items():
        ev = np.fromfile(f"{d}/{name}_events.f64").reshape(-1, 18)
        swift = np.fromfile(f"{d}/{name}_counts.i32", dtype=np.int32)
        best = np.inf
        for _ in range(3):
            t = time.perf_counter()
            count = solve(ev, mA, mB, mC)
            best = min(best, time.perf_counter() - t)
        print(f"{name} numpy peer: {len(ev) / best:.0f} events/s ({1e6 * best / len(ev):.2f} us/event), "
              f"mean solutions {count.mean():.3f}, count agreement with Swift {np.mean(count == swift):.4f}")


if __name__ == "__main__":
    main()
