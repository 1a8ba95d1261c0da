import Core
import Events
import Foundation
import Network

/// The checkpoint file of a DeeLeMa training run (little-endian throughout):
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `DLMACKPT` |
/// | 4 | format version (UInt32, 1) |
/// | 4 | header length H (UInt32) |
/// | H | header, UTF-8 JSON (sorted keys): `config` (every hyper-parameter), `topology`, `sizes` (layer widths), `scalar` ("float32"), `sampleEvents`, `sampleFingerprint` (hex FNV-1a of the scaled inputs and targets), `splitSeed`, `origin` (the training sample's card, detector, smearing scale and median visible energy; `TrainingOrigin`) |
/// | 8 | completed epochs (UInt64) |
/// | 8 | Adam step count (UInt64) |
/// | 8 | shuffle generator state (UInt64, SplitMix64) |
/// | 8 | P, the number of network parameters (UInt64) |
/// | 4P x 3 | weights, Adam first moments, Adam second moments (Float32) |
/// | 8 x 6 | u_B, u_A (u_D), their Adam first and second moments (Float64) |
/// | 8 | K, the number of history records (UInt64) |
/// | 48K | per epoch: epoch, train loss, validation loss, M_B, M_A (M_D) in GeV, seconds (Float64) |
/// | 4 | CRC-32 (IEEE) of every preceding byte |
///
/// Files are written to `<path>.tmp` and renamed over `path`, so an interrupted write never
/// leaves a truncated checkpoint under the requested name.
public enum CheckpointFormat {
    public static let magic: [UInt8] = Array("DLMACKPT".utf8)
    public static let version: UInt32 = 1
}

/// The JSON header of a checkpoint.
struct CheckpointHeader: Codable, Equatable {
    var config: DeeLeMaConfig
    var topology: TopologyKind
    var sizes: [Int]
    var scalar: String
    var sampleEvents: Int
    var sampleFingerprint: String
    var splitSeed: UInt64
    /// The training sample's card, detector setting and mass scale (absent in older checkpoints).
    var origin: TrainingOrigin?
}

/// The decoded contents of a checkpoint.
struct CheckpointContents {
    var header: CheckpointHeader
    var epoch: Int
    var adamStep: Int
    var shufflerState: UInt64
    var parameters: [Float]
    var m: [Float]
    var v: [Float]
    var mass: [Double]
    var massM: [Double]
    var massV: [Double]
    var history: [EpochRecord]
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func put<I: FixedWidthInteger>(_ x: I) { withUnsafeBytes(of: x.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func put(_ x: Double) { put(x.bitPattern) }
    mutating func put(_ xs: [Float]) { for x in xs { put(x.bitPattern) } }
    mutating func put(_ xs: [Double]) { for x in xs { put(x.bitPattern) } }
}

struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0
    mutating func take(_ n: Int) throws(DeeLeMaError) -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= bytes.count else {
            throw .checkpoint(path: path, reason: "truncated: needs \(n) bytes at offset \(offset), file has \(bytes.count)")
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
    mutating func get<I: FixedWidthInteger>(_: I.Type) throws(DeeLeMaError) -> I {
        let s = try take(MemoryLayout<I>.size)
        var x: I = 0
        for (k, b) in s.enumerated() { x |= I(truncatingIfNeeded: b) << (8 * k) }
        return x
    }
    mutating func double() throws(DeeLeMaError) -> Double { Double(bitPattern: try get(UInt64.self)) }
    mutating func floats(_ n: Int) throws(DeeLeMaError) -> [Float] {
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n { out[i] = Float(bitPattern: try get(UInt32.self)) }
        return out
    }
    mutating func doubles(_ n: Int) throws(DeeLeMaError) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n { out[i] = try double() }
        return out
    }
}

extension CheckpointContents {
    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: CheckpointFormat.magic)
        w.put(CheckpointFormat.version)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array((try? encoder.encode(header)) ?? Data())
        w.put(UInt32(json.count))
        w.bytes.append(contentsOf: json)
        w.put(UInt64(epoch)); w.put(UInt64(adamStep)); w.put(shufflerState)
        w.put(UInt64(parameters.count))
        w.put(parameters); w.put(m); w.put(v)
        w.put(mass); w.put(massM); w.put(massV)
        w.put(UInt64(history.count))
        for r in history {
            w.put(Double(r.epoch)); w.put(r.trainLoss); w.put(r.validationLoss); w.put(r.massB); w.put(r.massA); w.put(r.seconds)
        }
        w.put(CRC32.checksum(w.bytes))
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], path: String) throws(DeeLeMaError) -> CheckpointContents {
        func fail(_ why: String) -> DeeLeMaError { .checkpoint(path: path, reason: why) }
        guard bytes.count >= 16, Array(bytes[0..<8]) == CheckpointFormat.magic else {
            throw fail("not a DeeLeMa checkpoint (bad magic bytes)")
        }
        let stored = bytes[(bytes.count - 4)...].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        let actual = bytes.withUnsafeBytes { CRC32.update(0, UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }
        guard stored == actual else {
            throw fail(String(format: "corrupted: CRC-32 of the payload is %08x, the file records %08x", actual, stored))
        }
        var r = ByteReader(bytes: Array(bytes[0..<(bytes.count - 4)]), path: path, offset: 8)
        let version = try r.get(UInt32.self)
        guard version == CheckpointFormat.version else {
            throw fail("format version \(version), this build reads version \(CheckpointFormat.version)")
        }
        let hlen = Int(try r.get(UInt32.self))
        let header: CheckpointHeader
        do { header = try JSONDecoder().decode(CheckpointHeader.self, from: Data(try r.take(hlen))) } catch let e as DeeLeMaError {
            throw e
        } catch { throw fail("unreadable header: \(error)") }
        let epoch = Int(try r.get(UInt64.self)), step = Int(try r.get(UInt64.self)), state = try r.get(UInt64.self)
        let p = Int(try r.get(UInt64.self))
        let expected = zip(header.sizes, header.sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
        guard p == expected else { throw fail("holds \(p) network parameters, its layer sizes \(header.sizes) need \(expected)") }
        let params = try r.floats(p), m = try r.floats(p), v = try r.floats(p)
        let mass = try r.doubles(2), mm = try r.doubles(2), mv = try r.doubles(2)
        let k = Int(try r.get(UInt64.self))
        var history: [EpochRecord] = []
        for _ in 0..<k {
            let x = try r.doubles(6)
            history.append(EpochRecord(epoch: Int(x[0]), trainLoss: x[1], validationLoss: x[2], massB: x[3], massA: x[4], seconds: x[5]))
        }
        guard r.offset == r.bytes.count else { throw fail("\(r.bytes.count - r.offset) unexpected trailing bytes") }
        return CheckpointContents(header: header, epoch: epoch, adamStep: step, shufflerState: state, parameters: params,
                                  m: m, v: v, mass: mass, massM: mm, massV: mv, history: history)
    }

    static func read(path: String) throws(DeeLeMaError) -> CheckpointContents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .checkpoint(path: path, reason: "cannot be read (missing or unreadable)")
        }
        return try decode(Array(data), path: path)
    }
}

extension DeeLeMaTrainer {
    var checkpointHeader: CheckpointHeader {
        CheckpointHeader(config: config, topology: data.topology, sizes: model.net.sizes, scalar: "float32",
                         sampleEvents: data.count, sampleFingerprint: String(data.fingerprint, radix: 16),
                         splitSeed: splitSeed, origin: origin)
    }

    /// Writes the full training state to `path` atomically (temporary file, then rename).
    public func save(to path: String) throws(DeeLeMaError) {
        let contents = CheckpointContents(header: checkpointHeader, epoch: epoch, adamStep: adam.step,
                                          shufflerState: shuffler.state, parameters: model.net.parameters,
                                          m: adam.m, v: adam.v,
                                          mass: [model.massParameters[0], model.massParameters[1]],
                                          massM: massAdam.m, massV: massAdam.v, history: history)
        do throws(AtomicWrite.Failure) {
            try AtomicWrite.write(Data(contents.encoded()), to: path, temporary: path + ".tmp")
        } catch {
            switch error.step {
            case .write(let why):
                throw .checkpoint(path: path, reason: "cannot write \(error.temporary): \(why.localizedDescription)")
            case .rename(let why):
                throw .checkpoint(path: path, reason: "cannot rename \(error.temporary) to it: \(why)")
            }
        }
    }

    /// A trainer that continues the run saved at `path`. The checkpoint must come from the same
    /// hyper-parameters (every option but `threads`) and the same sample (event count and
    /// fingerprint); a mismatch or a corrupted file is refused with the reason. One exception:
    /// a finished training (all its epochs done) may be extended with more `epochs`; the
    /// learning rate then follows the longer decay from the epoch reached (`extendedFrom` says
    /// so). An unfinished one keeps its own epochs: its decay is under way.
    public convenience init(sample: Sample, config: DeeLeMaConfig, resumingFrom path: String) throws(DeeLeMaError) {
        let c = try CheckpointContents.read(path: path)
        try self.init(sample: sample, config: config)
        var mine = checkpointHeader, theirs = c.header
        mine.config.threads = 1; theirs.config.threads = 1
        if theirs.config.epochs != mine.config.epochs && c.epoch >= theirs.config.epochs && mine.config.epochs > c.epoch {
            extendedFrom = theirs.config.epochs
            theirs.config.epochs = mine.config.epochs
        } else if theirs.config.epochs != mine.config.epochs && c.epoch < theirs.config.epochs {
            throw .checkpoint(path: path, reason: "is an unfinished training of \(theirs.config.epochs) epochs (at epoch \(c.epoch)): "
                              + "finish it with --epochs \(theirs.config.epochs), then extend it with more")
        }
        if theirs.origin == nil { mine.origin = nil }  // written before checkpoints recorded it
        if mine.config != theirs.config {
            throw .checkpoint(path: path, reason: "was written with different hyper-parameters: \(differences(theirs.config, mine.config))")
        }
        if mine != theirs {
            throw .checkpoint(path: path, reason: "was written for another sample or network (events \(theirs.sampleEvents) vs \(mine.sampleEvents), fingerprint \(theirs.sampleFingerprint) vs \(mine.sampleFingerprint), sizes \(theirs.sizes) vs \(mine.sizes))")
        }
        try restore(c)
    }

    func restore(_ c: CheckpointContents) throws(DeeLeMaError) {
        epoch = c.epoch
        history = c.history
        model.net.parameters = c.parameters
        adam.m = c.m; adam.v = c.v; adam.step = c.adamStep
        model.massParameters = SIMD2(c.mass[0], c.mass[1])
        massAdam.m = c.massM; massAdam.v = c.massV; massAdam.step = c.adamStep
        shuffler = SplitMix64(seed: c.shufflerState)
    }
}

/// "name: saved -> requested" for each option that differs.
func differences(_ a: DeeLeMaConfig, _ b: DeeLeMaConfig) -> String {
    let ma = Mirror(reflecting: a).children, mb = Mirror(reflecting: b).children
    var out: [String] = []
    for (x, y) in zip(ma, mb) where "\(x.value)" != "\(y.value)" {
        out.append("\(x.label ?? "?"): checkpoint \(x.value), requested \(y.value)")
    }
    return out.joined(separator: "; ")
}
