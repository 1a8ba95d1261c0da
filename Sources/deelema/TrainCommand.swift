import ArgumentParser
import DeeLeMa
import Events
import Formats
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the DeeLeMa network on a sample (no labels: kinematic constraints only).",
        discussion: """
        Trains on a seeded 70/20/10 split of the sample with Adam and the polynomial learning-rate \
        decay, printing the validation loss and the learned masses each epoch. A checkpoint is written \
        atomically after every epoch (each epoch's line is printed once its checkpoint is written); running \
        the same command again resumes from it (a checkpoint made with other options or another sample is \
        refused, a corrupted one too; --restart ignores it). A finished training is extended by running it \
        again with more --epochs. The checkpoint's folder is checked for writing before training starts.

        Defaults follow the published recipe except where ours converges faster: the completion uses the \
        measured MET (--completion visible-balance restores the reference), each event is seen in the \
        frame where its visible objects have no total pz (--frame lab restores the reference), the network \
        proposes 8 completions per event and each event trains its best one (--hypotheses 1 restores the \
        reference's single one), and the masses learn with --mass-lr 5e-2. --reference sets the published \
        recipe exactly: --completion visible-balance, --frame lab, --hypotheses 1 and --mass-lr 1e-2 (the \
        other options keep their defaults, which are the reference's: --loss l1, --lr 1e-2, --hidden 256, \
        --layers 5); giving any of those four options with it is refused.

        Examples:
          deelema train toy.npz --checkpoint toy.model --mc 700 --scale 1000 --epochs 30
          deelema train ttbar.npz --checkpoint tt.model --mc 0 --scale 100 --pairing unknown
          deelema estimate toy.npz --method deelema --model toy.model --output dl.npz
        """)

    @Argument(help: "Training sample (.npz, t-tbar-like or antler).")
    var sample: String

    @Option(help: "Checkpoint file: written every epoch, resumed from when it exists.")
    var checkpoint: String

    @Option(help: "Learn mode: none, pt, mc or pt_mc.")
    var mode: LearnMode = .none

    @OptionGroup var pairingOption: PairingOption
    var pairing: PairingMode { pairingOption.pairing }

    @Option(help: "Completion of the invisible momenta: met (measured MET; the default) or visible-balance (the reference's form).")
    var completion: Completion?

    @Option(help: "Frame of the network and the loss: visible (each event boosted along the beam to zero visible pz; the default) or lab (the reference).")
    var frame: EventFrame?

    @Option(help: "Epochs (the learning rate decays to zero at the last).")
    var epochs: Int = 100

    @Option(help: "Batch size.")
    var batch: Int = 2048

    @Option(help: "Adam learning rate of the network at epoch 0.")
    var lr: Double = 1e-2

    @Option(help: "Adam learning rate of the two mass parameters at epoch 0 (default: 5e-2; 1e-2 with --reference).")
    var massLr: Double?

    @Option(help: "Hidden width H.")
    var hidden: Int = 256

    @Option(help: "Number of hidden [Linear(H, H), GELU] blocks.")
    var layers: Int = 5

    @Option(help: ArgumentHelp("Completion hypotheses per event: output heads, each event scored and trained by its best one (default 8; 1 is the reference).",
                               discussion: "Several heads keep the distinct kinematic solutions of an event apart instead of averaging them."))
    var hypotheses: Int?

    @Option(help: "Loss metric: l1 or huber.")
    var loss: LossMetric = .l1

    @Option(parsing: .unconditional, help: "The known invisible mass M_C (GeV).")
    var mc: Double = 0

    @Option(help: "Momenta are divided by this before the network (GeV; default: the round value 1, 2 or 5 x 10^k nearest the mean energy of the sample's visible objects, printed: 100 for t-tbar, 200 for the toy).")
    var scale: Double?

    @Option(help: "Starting masses 'mA,mB' in GeV (antler: 'mD,mB'); default: the reference start M_B = M_C + scale, M_A = M_B + scale.")
    var initialMasses: String?

    @OptionGroup var seedOption: SeedOption
    var seed: UInt64 { seedOption.seed }

    @OptionGroup var threadsOption: ThreadsOption

    @Flag(help: "Use the published recipe exactly: sets --completion visible-balance, --frame lab, --hypotheses 1 and --mass-lr 1e-2 (with the default --loss l1 and --lr 1e-2); refuses any of those four options given with it.")
    var reference = false

    @Flag(help: "Start afresh even if the checkpoint exists (it is overwritten).")
    var restart = false

    func validate() throws {
        // --reference sets these four; the same option given beside it would silently lose (or win).
        let conflicting = [("--completion", completion != nil), ("--frame", frame != nil), ("--hypotheses", hypotheses != nil),
                           ("--mass-lr", massLr != nil)].filter(\.1).map(\.0)
        if reference, !conflicting.isEmpty {
            throw ValidationError("--reference sets --completion visible-balance, --frame lab, --hypotheses 1 and --mass-lr 1e-2; "
                                  + "drop \(conflicting.joined(separator: ", ")) or drop --reference")
        }
    }

    func config(scale: Double) throws -> DeeLeMaConfig {
        var c = reference ? DeeLeMaConfig.reference(mC: mc, scale: scale) : DeeLeMaConfig()
        c.mode = mode; c.pairing = pairing; c.epochs = epochs; c.batchSize = batch; c.learningRate = lr
        c.hidden = hidden; c.layers = layers;  c.loss = loss; c.mC = mc; c.scale = scale; c.seed = seed
        c.threads = threadsOption.resolved
        if let completion { c.completion = completion }
        if let frame { c.frame = frame }
        if let massLr { c.massLearningRate = massLr }
        if let hypotheses { c.hypotheses = hypotheses }
        if let initialMasses {
            let parts = initialMasses.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2 else { throw ValidationError("--initial-masses wants 'mA,mB' in GeV, got '\(initialMasses)'") }
            c.initialMassA = parts[0]; c.initialMassB = parts[1]
        }
        try c.validate()
        return c
    }

    func run() throws {
        try InputOverwrite.check(output: checkpoint, inputs: [(role: "the training sample", path: sample)])
        try CheckpointPath.checkWritable(checkpoint)
        let data = try NPZ.readSample(path: sample)
        let chosen: Double
        if let scale {
            chosen = scale
        } else {
            guard let suggested = DeeLeMaConfig.suggestedScale(for: data) else {
                throw ValidationError("\(sample): no finite visible energy to choose --scale from; give --scale")
            }
            chosen = suggested.scale
            print(String(format: "momentum scale %g GeV (the round value nearest the mean visible-object energy, %.0f GeV; --scale sets it)",
                         chosen, suggested.meanVisibleEnergy))
        }
        let config = try config(scale: chosen)
        let trainer: DeeLeMaTrainer
        if !restart && FileManager.default.fileExists(atPath: checkpoint) {
            do {
                trainer = try DeeLeMaTrainer(sample: data, config: config, resumingFrom: checkpoint)
            } catch {
                throw RunFailure(description: "\(error) (--restart starts afresh and overwrites it; or give another --checkpoint)")
            }
            if let from = trainer.extendedFrom {
                print("extending the finished \(Wording.count(from, "epoch")) training \(checkpoint) to \(config.epochs) epochs "
                      + "(the learning rate follows the \(config.epochs)-epoch decay from epoch \(from))")
            } else {
                print("resuming \(checkpoint) at epoch \(trainer.epoch) of \(config.epochs)")
            }
        } else {
            trainer = try DeeLeMaTrainer(sample: data, config: config)
        }
        let bar = ProgressBar(total: config.epochs * trainer.stepsPerEpoch, label: "train", unit: "steps")
        let names = data.kind == .antler ? (MassName.d, MassName.b) : (MassName.a, MassName.b)
        print(String(format: "%d events: %d train, %d validation, %d test; %d steps per epoch",
                     data.count, trainer.trainIndices.count, trainer.validationIndices.count,
                     trainer.testIndices.count, trainer.stepsPerEpoch))
        try trainer.train(checkpointPath: checkpoint) { p in
            bar.update(p.epoch * p.stepsPerEpoch + p.step,
                       status: String(format: "epoch %d loss %.4f %@ %.2f %@ %.2f", p.epoch + 1, p.loss,
                                      names.0, p.massA, names.1, p.massB))
            if let r = p.finishedEpoch {
                bar.clear()
                print(String(format: "epoch %3d  train loss %.5f  validation loss %.5f  %@ %.3f GeV  %@ %.3f GeV  (%.1f s)",
                             r.epoch, r.trainLoss, r.validationLoss, names.0, r.massA, names.1, r.massB, r.seconds))
                fflush(nil)  // one line per epoch reaches a log file or pipe as it happens
            }
        }
        bar.finish()
        let m = trainer.massesGeV
        print(String(format: "learned %@ = %.3f GeV, %@ = %.3f GeV after %@; checkpoint %@",
                     names.0, m[1], names.1, m[0], Wording.count(trainer.epoch, "epoch"), checkpoint))
    }
}

extension LearnMode: ExpressibleByArgument {}
extension Completion: ExpressibleByArgument {}
extension EventFrame: ExpressibleByArgument {}
extension LossMetric: ExpressibleByArgument {}
