"""Writes the import test files: one hand-laid event record per generator layout (MadGraph5 +
MadSpin LHE, Pythia 8 HepMC3, Whizard LHE) and the malformed files. Kinematics: t-tbar
dilepton events of `deelema generate --topology ttbar --events 3000 --seed 5` (truth only);
the record layouts (statuses, mother links, copies, headers, number formats) follow what those
generators write. Run once; the outputs are checked in. Usage: python3 make_fixtures.py x.npz
"""
import gzip, sys
import numpy as np

f = np.load(sys.argv[1])
def ev(i):
    g = lambda k: f[k][i].copy()
    return {k: g("true_" + k) for k in ["A1", "A2", "B1", "B2", "C1", "C2", "a1", "a2", "b1", "b2"]}

def mass(p):
    m2 = p[0] ** 2 - p[1] ** 2 - p[2] ** 2 - p[3] ** 2
    return np.sqrt(m2) if m2 > 1e-10 * p[0] ** 2 else 0.0

def partons(P):
    e1, e2 = (P[0] + P[3]) / 2, (P[0] - P[3]) / 2
    return np.array([e1, 0, 0, e1]), np.array([e2, 0, 0, -e2])

# ---- MadGraph5_aMC@NLO + MadSpin (LHE 3.0; decayed tops and Ws with status 2) ----
MG_HEAD = """<LesHouchesEvents version="3.0">
<header>
<!--
#*********************************************************************
#                        MadGraph5_aMC@NLO                           *
#*********************************************************************
-->
<MGVersion>
3.5.1
</MGVersion>
<MG5ProcCard>
<![CDATA[
import model loop_sm-no_b_mass
generate p p > t t~ [QCD]
output ttbar_nlo
]]>
</MG5ProcCard>
<MGRunCard>
<![CDATA[
  6500.0     = ebeam1  ! beam 1 energy in GeV
  6500.0     = ebeam2  ! beam 2 energy in GeV
  <tag> inside CDATA is not markup </tag>
]]>
</MGRunCard>
<MadSpin>
 decay t > w+ b, w+ > l+ vl
 decay t~ > w- b~, w- > l- vl~
</MadSpin>
<initrwgt>
<weightgroup name="scale_variation" combine="envelope">
<weight id="1001"> muR=0.10000E+01 muF=0.10000E+01 </weight>
</weightgroup>
</initrwgt>
</header>
<init>
2212 2212 +6.5000000000e+03 +6.5000000000e+03 0 0 303600 303600 -4 1
+6.8870000000e+02 +2.1000000000e+00 +6.8870000000e+02 1
<generator name='MadGraph5_aMC@NLO' version='3.5.1'>please cite 1405.0301 </generator>
</init>
"""

def mg_line(pid, st, m1, m2, c1, c2, p, spin=0.0):
    return (f" {pid:8d} {st:2d} {m1:4d} {m2:4d} {c1:4d} {c2:4d} {p[1]:+.10e} {p[2]:+.10e} {p[3]:+.10e} "
            f"{p[0]:+.10e} {mass(p):+.10e} {0.0:.4e} {spin:.4e}\n")

def mg_event(e, weight, lep1, lep2, w2decay=None):
    """lep1 = (b id, C id) of the t chain; lep2 of the tbar chain; w2decay overrides W- daughters."""
    P = e["A1"] + e["A2"]
    p1, p2 = partons(P)
    lines = [mg_line(21, -1, 0, 0, 501, 502, p1), mg_line(21, -1, 0, 0, 503, 501, p2),
             mg_line(6, 2, 1, 2, 503, 0, e["A1"]), mg_line(-6, 2, 1, 2, 0, 502, e["A2"]),
             mg_line(24, 2, 3, 3, 0, 0, e["B1"]), mg_line(5, 1, 3, 3, 503, 0, e["a1"]),
             mg_line(-24, 2, 4, 4, 0, 0, e["B2"]), mg_line(-5, 1, 4, 4, 0, 502, e["a2"]),
             mg_line(lep1[0], 1, 5, 5, 0, 0, e["b1"]), mg_line(lep1[1], 1, 5, 5, 0, 0, e["C1"])]
    d = w2decay or lep2
    c = (504, 0) if w2decay else (0, 0)
    lines += [mg_line(d[0], 1, 7, 7, c[0], c[1], e["b2"]), mg_line(d[1], 1, 7, 7, c[1], c[0], e["C2"])]
    s = "<event>\n"
    s += f" {len(lines)}      0 {weight:+.7e} {mass(P) / 2:.8e} {7.546771e-03:.8e} {1.180000e-01:.8e}\n"
    s += "".join(lines)
    s += "#aMCatNLO 2 5 3 3 2 0.24584010E+02 0.24584010E+02 9 0 0 0.99999994E+00 0.69841057E+00 0.10000000E+01 0.00000000E+00 0.00000000E+00\n"
    s += f"<rwgt>\n<wgt id='1001'> {weight:+.7e} </wgt>\n</rwgt>\n</event>\n"
    return s

mg = MG_HEAD
mg += mg_event(ev(0), +688.7, (-11, 12), (13, -14))            # e+ ve, mu- vm~: imported
mg += mg_event(ev(1), -688.7, (-13, 14), (13, -14))            # negative NLO weight: imported
mg += mg_event(ev(2), +688.7, (-11, 12), None, w2decay=(1, -2))  # W- -> d u~: hadronic, skipped
mg += mg_event(ev(3), +688.7, (-15, 16), (13, -14))            # W+ -> tau+ nu_tau: skipped unless 15 listed
mg += "</LesHouchesEvents>\n"
open("madgraph_madspin.lhe", "w").write(mg)
with open("madgraph_madspin.lhe.gz", "wb") as out:
    out.write(gzip.compress(mg.encode(), mtime=0))

# ---- Whizard 3 (LHE; intermediate resonances only with ?resonance_history) ----
def wz(x): return f"{x: .10E}"
def wz_line(pid, st, m1, m2, c1, c2, p):
    return f" {pid:9d} {st:4d} {m1:4d} {m2:4d} {c1:4d} {c2:4d} {wz(p[1])} {wz(p[2])} {wz(p[3])} {wz(p[0])} {wz(mass(p))} {wz(0.0)} {wz(9.0)}\n"
wh = """<LesHouchesEvents version="3.0">
<header>
  <generator_name>WHIZARD</generator_name>
  <generator_version>3.1.2</generator_version>
</header>
<init>
     2212      2212  6.5000000000E+03  6.5000000000E+03        -1        -1        -1        -1         3         1
  5.3210000000E+02  2.4000000000E+00  1.0000000000E+00         1
</init>
"""
e = ev(4); P = e["A1"] + e["A2"]; p1, p2 = partons(P)
body = [wz_line(21, -1, 0, 0, 501, 502, p1), wz_line(21, -1, 0, 0, 503, 501, p2),
        wz_line(6, 2, 1, 2, 503, 0, e["A1"]), wz_line(-6, 2, 1, 2, 0, 502, e["A2"]),
        wz_line(24, 2, 3, 3, 0, 0, e["B1"]), wz_line(-24, 2, 4, 4, 0, 0, e["B2"]),
        wz_line(5, 1, 3, 3, 503, 0, e["a1"]), wz_line(-11, 1, 5, 5, 0, 0, e["b1"]), wz_line(12, 1, 5, 5, 0, 0, e["C1"]),
        wz_line(-5, 1, 4, 4, 0, 502, e["a2"]), wz_line(11, 1, 6, 6, 0, 0, e["b2"]), wz_line(-12, 1, 6, 6, 0, 0, e["C2"])]
wh += f"<event>\n {len(body):5d} {1:5d} {wz(1.0)} {wz(mass(P))} {wz(-1.0)} {wz(0.118)}\n" + "".join(body) + "</event>\n"
e = ev(5); P = e["A1"] + e["A2"]; p1, p2 = partons(P)
body = [wz_line(21, -1, 0, 0, 501, 502, p1), wz_line(21, -1, 0, 0, 503, 501, p2),
        wz_line(5, 1, 1, 2, 503, 0, e["a1"]), wz_line(-11, 1, 1, 2, 0, 0, e["b1"]), wz_line(12, 1, 1, 2, 0, 0, e["C1"]),
        wz_line(-5, 1, 1, 2, 0, 502, e["a2"]), wz_line(11, 1, 1, 2, 0, 0, e["b2"]), wz_line(-12, 1, 1, 2, 0, 0, e["C2"])]
wh += f"<event>\n {len(body):5d} {1:5d} {wz(1.0)} {wz(mass(P))} {wz(-1.0)} {wz(0.118)}\n" + "".join(body) + "</event>\n"
wh += "</LesHouchesEvents>\n"
open("whizard.lhe", "w").write(wh)

# ---- Pythia 8 (HepMC3 ASCII via Pythia8ToHepMC3: beams 4, hard 21/22/23, copies 44/62, shower 51, final 1) ----
def hp(x): return f"{x:.8e}"
def pythia_event(num, e, weight):
    ps, vs = [], []
    def P(parent, pid, p, st):
        ps.append((len(ps) + 1, parent, pid, p, st)); return len(ps)
    def V(ins):
        vs.append((len(ps), ins)); return -(len(vs) + 100)  # vertex ids need not be consecutive
    kick = np.array([0.0, 14.0, -9.0, 0.0])        # ISR recoil given to the tops by the shower
    P_ = e["A1"] + e["A2"]; q1, q2 = partons(P_)
    b1 = P(0, 2212, np.array([6500.0, 0, 0, 6499.99993]), 4); b2 = P(0, 2212, np.array([6500.0, 0, 0, -6499.99993]), 4)
    g1 = P(b1, 21, q1, 21); g2 = P(b2, 21, q2, 21)
    lines = []
    hard = V([g1, g2]); lines.append(("V", hard, [g1, g2]))
    t = P(hard, 6, e["A1"] - kick * 0.5, 22); tb = P(hard, -6, e["A2"] - kick * 0.5, 22)
    isr = P(hard, 21, np.array([np.hypot(14.0, 9.0) * 1.4, -14.0, 9.0, 12.0]), 43)
    t44 = P(t, 6, e["A1"] + kick * 0.5 + np.array([0.01, 0, 0, 0]), 44); tb44 = P(tb, -6, e["A2"] + kick * 0.5, 44)
    t62 = P(t44, 6, e["A1"], 62); tb62 = P(tb44, -6, e["A2"], 62)
    bq = P(t62, 5, e["a1"], 23); wp = P(t62, 24, e["B1"], 22)
    bb = P(tb62, -5, e["a2"], 23); wm = P(tb62, -24, e["B2"], 22)
    ps[wp - 1] = (wp, t62, 24, e["B1"] + np.array([0.02, 0.01, 0, 0]), 22)  # the W before its recoil copy
    wp62 = P(wp, 24, e["B1"], 62); wm62 = P(wm, -24, e["B2"], 62)
    ep = P(wp62, -11, e["b1"], 23); ve = P(wp62, 12, e["C1"], 23)
    mu = P(wm62, 13, e["b2"], 23); vm = P(wm62, -14, e["C2"], 23)
    # e+ radiates a photon (FSR): the truth lepton is the decay product, not the final copy.
    gam = e["b1"] * 0.03
    ep51 = P(ep, -11, e["b1"] - gam, 51); ph51 = P(ep, 22, gam, 51)
    P(ep51, -11, e["b1"] - gam, 1); P(ph51, 22, gam, 1); P(ve, 12, e["C1"], 1)
    P(mu, 13, e["b2"], 1); P(vm, -14, e["C2"], 1)
    # Hadronisation: one string from b, b~ and the ISR gluon.
    string = V([bq, bb, isr]); lines.append(("V", string, [bq, bb, isr]))
    tot = e["a1"] + e["a2"] + ps[isr - 1][3]
    for k, (pid, frac) in enumerate([(211, 0.3), (-211, 0.25), (521, 0.2), (130, 0.15), (22, 0.1)]):
        P(string, pid, tot * frac, 2 if pid == 521 else 1)
    P(b1 + 0, 2101, np.array([3000.0, 0.4, -0.2, 2999.9]), 1)   # beam remnants
    P(b2 + 0, 2203, np.array([2900.0, -0.3, 0.1, -2899.9]), 1)
    # HepMC3 numbers vertices -1, -2, ... in order of first use: an explicit vertex (V line, written
    # just before its first outgoing particle) or the implicit end vertex of a parent particle.
    vfirst = {vid: ins for (_, ins), (_, vid, _) in zip(vs, lines)}
    number, body = {}, ""
    for (pid_, parent, pid, p, st) in ps:
        key = ("V", parent) if parent < 0 else ("P", parent)
        if parent != 0 and key not in number:
            number[key] = -(len(number) + 1)
            if parent < 0:
                body += f"V {number[key]} 0 [{','.join(map(str, vfirst[parent]))}]\n"
        ref = number[key] if parent < 0 else parent
        body += f"P {pid_} {ref} {pid} {hp(p[1])} {hp(p[2])} {hp(p[3])} {hp(p[0])} {hp(mass(p))} {st}\n"
    out = f"E {num} {len(number)} {len(ps)}\nU GEV MM\nW {weight:.8e}\nA 0 GenCrossSection 7.56e+02 3.1e+00 -1 -1\nA 0 signal_process_id 601\n"
    out += body
    return out

py = "HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\nW Weight\nT Pythia8\\|8.310\\|\n"
py += pythia_event(0, ev(0), 1.0) + pythia_event(1, ev(1), 1.0)
py += "HepMC::Asciiv3-END_EVENT_LISTING\n\n"
open("pythia8.hepmc3", "w").write(py)

# ---- Malformed files ----
ok = mg.split("<event>")
head = ok[0]
first = "<event>" + ok[1]
open("truncated.lhe", "w").write(head + first + "\n".join(("<event>" + ok[2]).splitlines()[:6]) + "\n")
open("bad_xml.lhe", "w").write(head + first.replace("</event>\n", "") + "<event>" + ok[2] + "</LesHouchesEvents>\n")
lines = first.splitlines(True)
lines[5] = " ".join(lines[5].split()[:8]) + "\n"     # a particle line with 8 of its 13 numbers
open("few_numbers.lhe", "w").write(head + "".join(lines) + "</LesHouchesEvents>\n")
pl = py.splitlines(True)
cut = [i for i, l in enumerate(pl) if l.startswith("E 1")][0]
open("truncated.hepmc3", "w").write("".join(pl[:cut + 12]) + "HepMC::Asciiv3-END_EVENT_LISTING\n")
