import Events
import Foundation
import TestSupport
import Testing
@testable import Generation

/// A valid t-tbar-like card text used as the base of the bad-card cases.
let goodCard = """
topology = "ttbar-like"
sqrt_s = 13000.0
[production]
model = "coloured-pair"
[particles.A]
pdg = 6
mass = 172.5
width = 1.32
[particles.B]
pdg = 24
mass = 80.38
width = 2.085
[particles.C]
pdg = 14
mass = 0
[particles.a]
pdg = 5
mass = 4.7
[particles.b]
pdg = -13
mass = 0.0
"""

/// The repository's topologies/ folder, found from this source file.
let topologiesFolder = RepositoryPaths.topologies

func decodeError(_ text: String) -> CardError? {
    do {
        _ = try Card.decode(toml: text, name: "bad", file: "bad.toml")
        return nil
    } catch {
        return error
    }
}

@Suite struct CardTests {
    @Test func shippedCardsLoadWithTheirMasses() throws {
        let t = try Card.load(nameOrPath: "ttbar", directory: topologiesFolder)
        #expect(t.topology == .ttbarLike && t.model == .colouredPair && t.sqrtS == 13000)
        #expect(t.particle(.A) == ParticleSpec(pdg: 6, mass: 172.5, width: 1.32))
        #expect(t.particle(.B) == ParticleSpec(pdg: 24, mass: 80.38, width: 2.085))
        #expect(t.mass(.C) == 0 && t.mass(.a) == 4.7 && t.mass(.b) == 0)
        let toy = try Card.load(nameOrPath: "toy", directory: topologiesFolder)
        #expect(toy.mass(.A) == 1000 && toy.mass(.B) == 800 && toy.mass(.C) == 700)
        #expect(toy.particle(.A).width == 0 && toy.particle(.B).width == 0 && toy.mass(.a) == 0 && toy.mass(.b) == 0)
        let hww = try Card.load(nameOrPath: "hww", directory: topologiesFolder)
        #expect(hww.topology == .antler && hww.model == .sChannel && hww.mass(.D) == 700 && hww.mass(.B) == 80.38)
        let at = try Card.load(nameOrPath: "antler_toy", directory: topologiesFolder)
        #expect(at.mass(.D) == 1000 && at.mass(.B) == 400 && at.mass(.C) == 100 && at.particle(.D).width == 0)
        let stop = try Card.load(nameOrPath: "stop", directory: topologiesFolder)
        #expect(stop.topology == .ttbarLike && stop.mass(.A) > stop.mass(.B) + stop.mass(.a))
        #expect(Set(Card.availableCards(in: URL(fileURLWithPath: topologiesFolder)))
            .isSuperset(of: ["ttbar", "toy", "stop", "hww", "antler_toy"]))
    }

    @Test func loadByPathAndDefaults() throws {
        let c = try Card.load(nameOrPath: topologiesFolder + "/ttbar.toml")
        #expect(c.name == "ttbar")
        #expect(c.cuts == AcceptanceCuts(etaMax: 2.5, jetPtMin: 20, leptonPtMin: 10))
        #expect(c.isr.enabled == false && c.incoming == [21, 21])
        #expect(PDG.conjugate(6) == -6 && PDG.conjugate(21) == 21 && PDG.conjugate(-13) == 13)
    }

    @Test func digestIsStableAndContentSensitive() throws {
        let a = try Card.decode(toml: goodCard, name: "x", file: "x.toml")
        let b = try Card.decode(toml: "# a comment\n" + goodCard.replacingOccurrences(of: "mass = 0\n", with: "mass = 0.0\n"),
                                name: "x", file: "y.toml")
        let c = try Card.decode(toml: goodCard.replacingOccurrences(of: "172.5", with: "173.0"), name: "x", file: "x.toml")
        #expect(a.digest == b.digest)
        #expect(a.digest != c.digest)
        #expect(a.digest.count == 16)
    }

    @Test func overridesAreRead() throws {
        let text = goodCard + "\n[isr]\nenabled = true\npt0 = 20.0\n[cuts]\neta_max = 4.0\njet_pt_min = 30\n"
        let c = try Card.decode(toml: text, name: "x", file: "x.toml")
        #expect(c.isr == ISRSettings(enabled: true, pt0: 20, ptMax: 1000))
        #expect(c.cuts == AcceptanceCuts(etaMax: 4, jetPtMin: 30, leptonPtMin: 10))
    }

    /// The production-model keys: defaults (GRV 94 LO at m_A, LO angles, isotropic decays),
    /// the shipped cards' choices, and every bad combination named by its key.
    @Test func productionModelKeys() throws {
        let plain = try Card.decode(toml: goodCard, name: "x", file: "x.toml")
        #expect(plain.densities.set == .grv94lo && plain.densities.scale == nil)
        #expect(plain.angles == .leadingOrder && plain.decays == .isotropic)
        let ttbar = try Card.load(nameOrPath: "ttbar", directory: topologiesFolder)
        #expect(ttbar.densities.set == .grv94lo && ttbar.angles == .leadingOrder && ttbar.decays == .vMinusA)
        for name in ["toy", "stop", "hww"] {
            let c = try Card.load(nameOrPath: name, directory: topologiesFolder)
            #expect(c.densities.set == .grv94lo && c.decays == .isotropic, "\(name)")
        }
        #expect(try Card.load(nameOrPath: "antler_toy", directory: topologiesFolder).densities.set == .toy)
        let toy = try Card.decode(toml: goodCard.replacingOccurrences(of: "model = \"coloured-pair\"",
            with: "model = \"coloured-pair\"\npdf = \"toy\"\ngluon_power = 6\nangles = \"isotropic\""), name: "x", file: "x.toml")
        #expect(toy.densities == .toy(gluonPower: 6) && toy.angles == .isotropic)
        #expect(toy.digest != plain.digest)
        let scaled = try Card.decode(toml: goodCard.replacingOccurrences(of: "model = \"coloured-pair\"",
            with: "model = \"coloured-pair\"\nscale = 345"), name: "x", file: "x.toml")
        #expect(scaled.densities.scale == 345 && scaled.digest != plain.digest)
        func bad(_ production: String, _ tail: String = "") -> CardError? {
            decodeError(goodCard.replacingOccurrences(of: "model = \"coloured-pair\"",
                                                      with: "model = \"coloured-pair\"\n" + production) + tail)
        }
        #expect(bad("pdf = \"cteq\"")?.key == "production.pdf")
        #expect(bad("gluon_norm = 2")?.reason.contains("pdf = \"toy\"") == true)
        #expect(bad("pdf = \"toy\"\nscale = 100")?.key == "production.scale")
        #expect(bad("scale = 0.5")?.key == "production.scale")
        #expect(bad("angles = \"forward\"")?.key == "production.angles")
        #expect(bad("", "\n[decays]\nmodel = \"v+a\"\n")?.key == "decays.model")
        #expect(bad("", "\n[decays]\nmodel = \"v-a\"\nspin = 1\n")?.key == "decays.spin")
        let hww = try String(contentsOfFile: topologiesFolder + "/hww.toml", encoding: .utf8)
        let lo = decodeError(hww.replacingOccurrences(of: "model = \"s-channel\"", with: "model = \"s-channel\"\nangles = \"lo\""))
        #expect(lo?.key == "production.angles")
        let va = decodeError(hww + "\n[decays]\nmodel = \"v-a\"\n")
        #expect(va?.key == "decays.model" && va?.reason.contains("t-tbar-like") == true)
    }

    @Test func malformedTOML() {
        let e = decodeError("topology = \"ttbar-like\"\n[production\nmodel = 1")
        #expect(e?.file == "bad.toml" && e?.key == "" && e?.reason.contains("malformed TOML") == true)
    }

    @Test func unknownKey() {
        let e = decodeError(goodCard.replacingOccurrences(of: "width = 1.32", with: "width = 1.32\nwidht = 3.0"))
        #expect(e?.key == "particles.A.widht" && e?.reason == "unknown key")
        let top = decodeError("colour = 1\n" + goodCard)
        #expect(top?.key == "colour" && top?.reason == "unknown key")
    }

    @Test func missingKey() {
        let e = decodeError(goodCard.replacingOccurrences(of: "pdg = 24\n", with: ""))
        #expect(e?.key == "particles.B.pdg" && e?.reason.contains("missing") == true)
        let noC = decodeError(goodCard.replacingOccurrences(of: "[particles.C]\npdg = 14\nmass = 0\n", with: ""))
        #expect(noC?.key == "particles.C" && noC?.reason.contains("missing") == true)
    }

    @Test func wrongType() {
        let e = decodeError(goodCard.replacingOccurrences(of: "mass = 172.5", with: "mass = \"heavy\""))
        #expect(e?.key == "particles.A.mass" && e?.reason.contains("expected a number") == true)
        let p = decodeError(goodCard.replacingOccurrences(of: "pdg = 6", with: "pdg = 6.5"))
        #expect(p?.key == "particles.A.pdg" && p?.reason.contains("expected an integer") == true)
    }

    @Test func negativeWidth() {
        let e = decodeError(goodCard.replacingOccurrences(of: "width = 2.085", with: "width = -2.0"))
        #expect(e?.key == "particles.B.width" && e?.reason.contains("negative") == true)
        #expect(e?.description.contains("bad.toml") == true)
    }

    @Test func forbiddenChains() {
        let a = decodeError(goodCard.replacingOccurrences(of: "mass = 172.5", with: "mass = 80.0"))
        #expect(a?.key == "particles.A.mass" && a?.reason.contains("forbidden decay A -> a B") == true)
        let b = decodeError(goodCard.replacingOccurrences(of: "mass = 80.38", with: "mass = 4.0")
            .replacingOccurrences(of: "mass = 0\n", with: "mass = 10.0\n"))
        #expect(b?.key == "particles.B.mass" && b?.reason.contains("forbidden decay B -> b C") == true)
        let antler = """
        topology = "antler"
        [production]
        model = "s-channel"
        [particles.D]
        pdg = 35
        mass = 150.0
        [particles.B]
        pdg = 24
        mass = 80.38
        [particles.C]
        pdg = 14
        mass = 0.0
        [particles.a]
        pdg = -13
        mass = 0.0
        """
        let d = decodeError(antler)
        #expect(d?.key == "particles.D.mass" && d?.reason.contains("m_D = 150.0 <= 2 m_B") == true)
        #expect(decodeError(antler.replacingOccurrences(of: "mass = 150.0", with: "mass = 170.0")) == nil)
        let model = decodeError(goodCard.replacingOccurrences(of: "coloured-pair", with: "s-channel"))
        #expect(model?.key == "production.model")
    }

    @Test func unknownNameListsCards() {
        do {
            _ = try Card.load(nameOrPath: "no_such_card", directory: topologiesFolder)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "no_such_card")
            #expect(error.reason.contains("ttbar") && error.reason.contains("antler_toy") && error.reason.contains("hww"))
        }
    }
}
