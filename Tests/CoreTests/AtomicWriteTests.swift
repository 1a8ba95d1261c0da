import Core
import Foundation
import Testing

@Suite struct AtomicWriteTests {
    private func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("core-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("write replaces the target and leaves no temporary file")
    func writeReplaces() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.txt"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try AtomicWrite.write(Data("new contents".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.txt"])
    }

    @Test("a staged file appears only when published; unstage removes it")
    func stagePublish() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a.json"
        let tmp = try AtomicWrite.stage(Data("{}".utf8), for: path)
        #expect(tmp == AtomicWrite.temporaryPath(for: path))
        #expect(!FileManager.default.fileExists(atPath: path))
        try AtomicWrite.publish(tmp, to: path)
        #expect(FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: tmp))
        let other = try AtomicWrite.stage(Data("x".utf8), for: dir + "/b.json", temporary: dir + "/b.json.tmp")
        #expect(other == dir + "/b.json.tmp")
        AtomicWrite.unstage(other)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.json"])
    }

    @Test("a write into a missing directory fails at the write step and leaves nothing")
    func writeFailure() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/missing/out.txt"
        do throws(AtomicWrite.Failure) {
            try AtomicWrite.write(Data("x".utf8), to: path)
            Issue.record("expected a failure")
        } catch {
            #expect(error.path == path)
            guard case .write = error.step else { Issue.record("wrong step \(error.step)"); return }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("renaming onto a directory fails at the rename step and removes the temporary file")
    func renameFailure() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/taken"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        do throws(AtomicWrite.Failure) {
            try AtomicWrite.write(Data("x".utf8), to: path)
            Issue.record("expected a failure")
        } catch {
            guard case .rename(let reason) = error.step else { Issue.record("wrong step \(error.step)"); return }
            #expect(!reason.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["taken"])
    }
}
