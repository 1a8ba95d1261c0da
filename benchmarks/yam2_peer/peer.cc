// The YAM2 peer of deelema's constrained M2 (benchmarks/RESULTS.md, "Issue 13"): reads the CSV
// written by `M2Benchmark peerdump`, computes M2XX, M2CX, M2XC and M2CC of every event with
// YAM2's SQP functions (NLopt SLSQP, tolerance 1e-3, YAM2's default) and with its combined
// functions (SQP and augmented Lagrangian, the smaller value), times each on the CPU clock of
// this thread, and counts per variable the events where YAM2's value is below or above
// deelema's by more than 1e-6 and 1e-3 relative (1 GeV floor). A lower YAM2 value is checked
// for feasibility: the largest constraint violation |M_A1^2 - M_A2^2|, |M_B1^2 - M_B2^2| of its
// invisible momenta, relative to deelema's scale S^2 (S = E(a1 b1) + E(a2 b2) + |MET| + m_C), is
// reported (deelema's solutions meet theirs to 1e-9). An optional second argument sets YAM2's
// tolerance (default 1e-3, its own default).
#include <time.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "YAM2/yam2.h"

namespace {
double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Event {
    yam2::FourMomentum a1, b1, a2, b2;
    double metx, mety, mc;
    double ours[4];
};

double mass2(const yam2::FourMomentum &p, const yam2::FourMomentum &q) {
    const double e = p.e() + q.e(), x = p.px() + q.px(), y = p.py() + q.py(), z = p.pz() + q.pz();
    return e * e - x * x - y * y - z * z;
}

using Solver = std::function<std::optional<yam2::M2Solution>(const std::optional<yam2::InputKinematics> &)>;
}  // namespace

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) {
        std::cerr << "usage: peer FILE.csv [TOLERANCE] (from M2Benchmark peerdump)\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in) {
        std::cerr << "peer: cannot read " << argv[1] << '\n';
        return 2;
    }
    std::string line, header;
    std::getline(in, header);  // "# deelema ... us/event CPU ..."
    std::getline(in, line);    // column names
    std::vector<Event> events;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::vector<double> f;
        std::string cell;
        while (std::getline(ss, cell, ',')) f.push_back(std::stod(cell));
        if (f.size() != 23) {
            std::cerr << "peer: " << argv[1] << " line " << events.size() + 3 << " has " << f.size() << " fields, not 23\n";
            return 2;
        }
        Event e{{f[0], f[1], f[2], f[3]}, {f[4], f[5], f[6], f[7]}, {f[8], f[9], f[10], f[11]}, {f[12], f[13], f[14], f[15]},
                f[16], f[17], f[18], {f[19], f[20], f[21], f[22]}};
        events.push_back(e);
    }
    const double eps = argc == 3 ? std::stod(argv[2]) : 1e-3;
    std::cout << header << "; YAM2 tolerance " << eps << '\n';
    const char *names[4] = {"m2xx", "m2cx", "m2xc", "m2cc"};
    const Solver sqp[4] = {[eps](auto &i) { return yam2::m2XXSQP(i, eps); }, [eps](auto &i) { return yam2::m2CXSQP(i, eps); },
                           [eps](auto &i) { return yam2::m2XCSQP(i, eps); }, [eps](auto &i) { return yam2::m2CCSQP(i, eps); }};
    const Solver combined[4] = {[eps](auto &i) { return yam2::m2XX(i, eps); }, [eps](auto &i) { return yam2::m2CX(i, eps); },
                                [eps](auto &i) { return yam2::m2XC(i, eps); }, [eps](auto &i) { return yam2::m2CC(i, eps); }};
    for (int pass = 0; pass < 2; ++pass) {
        const Solver *solvers = pass == 0 ? sqp : combined;
        double total = 0;
        for (int v = 0; v < 4; ++v) {
            int failed = 0, lower6 = 0, higher6 = 0, lower3 = 0, higher3 = 0;
            double cpu = 0, worstLowViolation = 0;
            for (const auto &e : events) {
                const double t0 = cpuSeconds();
                const auto input = yam2::mkInput({e.a1, e.a2}, {e.b1, e.b2}, yam2::TransverseMomentum{e.metx, e.mety},
                                                 yam2::Mass{e.mc});
                const auto sol = solvers[v](input);
                cpu += cpuSeconds() - t0;
                if (!sol) {
                    ++failed;
                    continue;
                }
                const double theirs = sol->m2(), ours = e.ours[v];
                const double scale = std::max(1.0, std::abs(ours));
                if (theirs < ours - 1e-6 * scale) ++lower6;
                if (theirs > ours + 1e-6 * scale) ++higher6;
                if (theirs < ours - 1e-3 * scale) ++lower3;
                if (theirs < ours - 1e-6 * scale) {
                    const auto k1 = sol->k1(), k2 = sol->k2();
                    const double s = (e.a1 + e.b1).e() + (e.a2 + e.b2).e() + std::hypot(e.metx, e.mety) + e.mc;
                    double violation = std::abs(mass2(e.b1, k1) - mass2(e.b2, k2));
                    if (v == 1 || v == 3) violation = std::max(violation, std::abs(mass2(e.a1 + e.b1, k1) - mass2(e.a2 + e.b2, k2)));
                    worstLowViolation = std::max(worstLowViolation, violation / (s * s));
                }
                if (theirs > ours + 1e-3 * scale) ++higher3;
            }
            total += cpu;
            std::printf("YAM2 %s %s: %.2f us/event CPU; failed %d; vs deelema lower/higher by >1e-6: %d/%d, by >1e-3: %d/%d "
                        "(of %zu); largest violation where lower: %.1e S^2\n",
                        pass == 0 ? "SQP" : "combined", names[v], cpu / events.size() * 1e6, failed, lower6, higher6,
                        lower3, higher3, events.size(), worstLowViolation);
        }
        std::printf("YAM2 %s all four: %.2f us/event CPU\n", pass == 0 ? "SQP" : "combined", total / events.size() * 1e6);
    }
    return 0;
}
