import Foundation

/// The batch systems `--emit` writes for.
public enum BatchSystem: String, Sendable, CaseIterable {
    case slurm, condor
}

/// A split piece of work for a batch system: one array task per unfinished unit (a sweep point,
/// a generation shard) and a follow-up step (report, merge) that runs once every task succeeded.
/// `slurm()` renders a bash script that submits both with `sbatch`; `condor()` an HTCondor submit
/// description. Rendering is pure text: nothing is written or submitted here.
public struct BatchJob: Sendable, Equatable {
    /// One unfinished unit: `index` is its place in the whole plan (0-based, stable across
    /// re-emissions, so a task's log name says which unit it ran), `unit` a readable name.
    public struct Task: Sendable, Equatable {
        public var index: Int
        public var unit: String
        public var command: [String]
        public init(index: Int, unit: String, command: [String]) {
            self.index = index
            self.unit = unit
            self.command = command
        }
    }

    /// Job name, e.g. `deelema-sweep`; the follow-up is `<name>-<followUpName>`.
    public var name: String
    /// Absolute directory the jobs run in (`--chdir`); logs go to `logDirectory`.
    public var directory: String
    /// Absolute directory of the per-task `.out` and `.err` files.
    public var logDirectory: String
    /// The unfinished units only.
    public var tasks: [Task]
    /// Units in the whole plan (finished ones included).
    public var totalUnits: Int
    /// CPUs per task (the commands are given the same `--threads`).
    public var threads: Int
    /// Memory per task in MiB (an estimate with headroom, see the emitting command).
    public var memoryMB: Int
    /// The follow-up command (assembles the units; refuses an incomplete set).
    public var followUp: [String]
    public var followUpName: String
    /// The command line that emitted the job, quoted, for the script's header.
    public var emittedBy: String

    public init(name: String, directory: String, logDirectory: String, tasks: [Task], totalUnits: Int, threads: Int,
                memoryMB: Int, followUp: [String], followUpName: String, emittedBy: String) {
        self.name = name
        self.directory = directory
        self.logDirectory = logDirectory
        self.tasks = tasks
        self.totalUnits = totalUnits
        self.threads = threads
        self.memoryMB = memoryMB
        self.followUp = followUp
        self.followUpName = followUpName
        self.emittedBy = emittedBy
    }

    public func render(_ system: BatchSystem) -> String {
        switch system {
        case .slurm: slurm()
        case .condor: condor()
        }
    }

    /// The Slurm `--array` specification of the task indices, runs compressed: [0,1,2,5] -> "0-2,5".
    public var arraySpec: String {
        var parts: [String] = []
        var k = 0
        let idx = tasks.map(\.index)
        while k < idx.count {
            var j = k
            while j + 1 < idx.count && idx[j + 1] == idx[j] + 1 { j += 1 }
            parts.append(j == k ? "\(idx[k])" : "\(idx[k])-\(idx[j])")
            k = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// A bash script that submits the array (when any unit is unfinished) and the follow-up with
    /// `--dependency=afterok` on it. Every path is absolute, so it runs from any directory; the
    /// last line it prints names the job ids.
    public func slurm() -> String {
        let q = BatchJob.shellQuote
        let follow = "\(name)-\(followUpName)"
        var s = """
        #!/usr/bin/env bash
        # Slurm submission emitted by:
        #   \(emittedBy)
        # \(tasks.count) of \(totalUnits) units unfinished\(tasks.isEmpty ? "" : ": " + tasks.map(\.unit).joined(separator: " "))
        # Run it from any directory: bash THIS_FILE. It submits one array task per unfinished unit
        # (\(threads) CPUs and \(memoryMB) MiB each) and then `\(followUpName)` as a job that starts only
        # when every task succeeded. After a failed or cancelled task, emit again with the same
        # command: finished units are left out.
        set -euo pipefail
        mkdir -p \(q(logDirectory))

        """
        let followFlags = ["--parsable", "--job-name=\(follow)", "--chdir=\(directory)", "--ntasks=1", "--cpus-per-task=1",
                           "--mem=\(BatchJob.followUpMemoryMB)M",
                           "--output=\((logDirectory as NSString).appendingPathComponent("\(follow)_%j.out"))",
                           "--error=\((logDirectory as NSString).appendingPathComponent("\(follow)_%j.err"))"]
        let followBody = "#!/usr/bin/env bash\nexec \(followUp.map(q).joined(separator: " "))\n"
        if tasks.isEmpty {
            s += "# Every unit is finished: only the follow-up is submitted.\n"
            s += "follow=$(sbatch \(followFlags.map(q).joined(separator: " ")) <<'FOLLOWUP'\n\(followBody)FOLLOWUP\n)\n"
            s += "echo \"deelema: array job none (0 tasks), follow-up job ${follow%%;*}\"\n"
            return s
        }
        s += "array=$(sbatch --parsable <<'TASKS'\n"
        s += "#!/usr/bin/env bash\n"
        s += "#SBATCH --job-name=\(name)\n"
        s += "#SBATCH --array=\(arraySpec)\n"
        s += "#SBATCH --chdir=\(directory)\n"
        s += "#SBATCH --ntasks=1\n"
        s += "#SBATCH --cpus-per-task=\(threads)\n"
        s += "#SBATCH --mem=\(memoryMB)M\n"
        // %a is the unit's index in the whole plan, so a log keeps its unit's name across re-submissions; %A keeps them apart.
        s += "#SBATCH --output=\((logDirectory as NSString).appendingPathComponent("\(name)_%a_%A.out"))\n"
        s += "#SBATCH --error=\((logDirectory as NSString).appendingPathComponent("\(name)_%a_%A.err"))\n"
        s += "set -euo pipefail\n"
        s += "case \"$SLURM_ARRAY_TASK_ID\" in\n"
        for t in tasks {
            s += "  \(t.index)) # \(t.unit)\n     exec \(t.command.map(q).joined(separator: " ")) ;;\n"
        }
        s += "  *) echo \"no unit with index $SLURM_ARRAY_TASK_ID in this submission\" >&2; exit 2 ;;\n"
        s += "esac\nTASKS\n)\n"
        s += "array=${array%%;*}  # --parsable may append ';cluster'\n"
        // --kill-on-invalid-dep: when a task fails the follow-up is cancelled instead of pending forever.
        s += "follow=$(sbatch --dependency=afterok:$array --kill-on-invalid-dep=yes \(followFlags.map(q).joined(separator: " ")) <<'FOLLOWUP'\n"
        s += followBody
        s += "FOLLOWUP\n)\n"
        s += "echo \"deelema: array job $array (\(tasks.count) task\(tasks.count == 1 ? "" : "s")), follow-up job ${follow%%;*}\"\n"
        return s
    }

    /// An HTCondor submit description: one job per unfinished unit (`queue ... from`), per-job
    /// output and error files, request_cpus and request_memory. A submit description cannot hold
    /// the follow-up; its header says how to run it once the jobs left the queue.
    public func condor() -> String {
        let logFile = (logDirectory as NSString).appendingPathComponent("\(name).log")
        var s = """
        # HTCondor submit description emitted by:
        #   \(emittedBy)
        # \(tasks.count) of \(totalUnits) units unfinished\(tasks.isEmpty ? "" : ": " + tasks.map(\.unit).joined(separator: " "))
        # Submit (every path is absolute, so from any directory):
        #   mkdir -p \(BatchJob.shellQuote(logDirectory)) && condor_submit THIS_FILE
        # Afterwards, the follow-up (\(followUpName); it refuses an incomplete set and names what is missing):
        #   condor_wait \(BatchJob.shellQuote(logFile)) && \(followUp.map(BatchJob.shellQuote).joined(separator: " "))
        # After a failed or removed job, emit again with the same command: finished units are left out.

        """
        guard let exe = tasks.first?.command.first else {
            s += "# Every unit is finished: nothing to submit; run the follow-up above.\n"
            return s
        }
        s += """
        universe = vanilla
        executable = \(exe)
        initialdir = \(directory)
        log = \(logFile)
        output = \((logDirectory as NSString).appendingPathComponent("\(name)_$(unit)_$(Cluster).out"))
        error = \((logDirectory as NSString).appendingPathComponent("\(name)_$(unit)_$(Cluster).err"))
        request_cpus = \(threads)
        request_memory = \(memoryMB) MB
        should_transfer_files = NO
        arguments = "$(args)"
        # one line per unit: its index in the plan, then the arguments (the last variable takes the rest of the line)
        queue unit, args from (

        """
        for t in tasks {
            s += "  \(t.index) \(t.command.dropFirst().map(BatchJob.condorQuote).joined(separator: " "))\n"
        }
        s += ")\n"
        return s
    }

    /// Memory of the follow-up (report or merge hold one point or one shard at a time).
    public static let followUpMemoryMB = 2048

    /// Single-quotes a shell word when it holds anything beyond [A-Za-z0-9_./,=:+%-].
    public static func shellQuote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./,=:+%-".contains($0)) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A word of HTCondor's new argument syntax: single quotes around words with blanks or quotes,
    /// a single quote doubled inside them, a double quote doubled anywhere.
    public static func condorQuote(_ word: String) -> String {
        let w = word.replacingOccurrences(of: "\"", with: "\"\"")
        guard w.isEmpty || w.contains(where: { $0 == " " || $0 == "\t" || $0 == "'" }) else { return w }
        return "'" + w.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
