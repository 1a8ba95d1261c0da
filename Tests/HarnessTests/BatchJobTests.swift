import Foundation
@testable import Harness
import Testing

/// The text of `BatchJob`: array specification, quoting, and what each script holds.
@Suite struct BatchJobTests {
    func job(_ indices: [Int], total: Int = 6) -> BatchJob {
        BatchJob(name: "deelema-test", directory: "/data/run", logDirectory: "/data/run/logs",
                 tasks: indices.map { BatchJob.Task(index: $0, unit: "u\($0)", command: ["/opt/bin/deelema", "bench", "--report", "/data/run/points/u\($0)"]) },
                 totalUnits: total, threads: 3, memoryMB: 700, followUp: ["/opt/bin/deelema", "report", "/data/run"],
                 followUpName: "report", emittedBy: "deelema sweep ...")
    }

    @Test func arraySpecCompressesRuns() {
        #expect(job([0, 1, 2, 5]).arraySpec == "0-2,5")
        #expect(job([3]).arraySpec == "3")
        #expect(job([0, 2, 4, 5]).arraySpec == "0,2,4-5")
        #expect(job([]).arraySpec == "")
    }

    @Test func slurmScriptHoldsOneCasePerTaskAndTheDependency() {
        let s = job([1, 4]).slurm()
        #expect(s.hasPrefix("#!/usr/bin/env bash\n"))
        #expect(s.contains("#SBATCH --array=1,4\n"))
        #expect(s.contains("#SBATCH --cpus-per-task=3\n") && s.contains("#SBATCH --mem=700M\n"))
        #expect(s.contains("#SBATCH --output=/data/run/logs/deelema-test_%a_%A.out\n"))
        #expect(s.contains("#SBATCH --error=/data/run/logs/deelema-test_%a_%A.err\n"))
        #expect(s.contains("#SBATCH --chdir=/data/run\n"))
        #expect(s.components(separatedBy: "exec /opt/bin/deelema bench").count - 1 == 2)
        #expect(s.contains("  1) # u1\n") && s.contains("  4) # u4\n") && !s.contains("  0) "))
        #expect(s.contains("--dependency=afterok:$array --kill-on-invalid-dep=yes"))
        #expect(s.contains("exec /opt/bin/deelema report /data/run\n"))
        #expect(s.contains("# 2 of 6 units unfinished: u1 u4\n"))
    }

    @Test func slurmScriptWithNothingLeftSubmitsOnlyTheFollowUp() {
        let s = job([]).slurm()
        #expect(!s.contains("--array") && !s.contains("--dependency"))
        #expect(s.contains("exec /opt/bin/deelema report /data/run\n"))
        #expect(s.contains("array job none (0 tasks)"))
    }

    @Test func condorDescriptionQueuesOneJobPerTask() {
        let s = job([1, 4]).condor()
        #expect(s.contains("executable = /opt/bin/deelema\n"))
        #expect(s.contains("request_cpus = 3\n") && s.contains("request_memory = 700 MB\n"))
        #expect(s.contains("queue unit, args from (\n  1 bench --report /data/run/points/u1\n  4 bench --report /data/run/points/u4\n)\n"))
        #expect(s.contains("condor_wait /data/run/logs/deelema-test.log && /opt/bin/deelema report /data/run"))
        #expect(!job([]).condor().contains("queue"))
    }

    @Test func quoting() {
        #expect(BatchJob.shellQuote("/a/b_%a.out") == "/a/b_%a.out")
        #expect(BatchJob.shellQuote("my dir/x") == "'my dir/x'")
        #expect(BatchJob.shellQuote("it's") == "'it'\\''s'")
        #expect(BatchJob.condorQuote("plain") == "plain")
        #expect(BatchJob.condorQuote("my dir") == "'my dir'")
        #expect(BatchJob.condorQuote("it's") == "'it''s'")
        #expect(BatchJob.condorQuote("a\"b") == "a\"\"b")
    }
}
