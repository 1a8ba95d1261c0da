import Foundation
import TestSupport
import Testing
@testable import Generation

/// The cards compiled into the binary (`Card.bundledTexts`, written by `make cards`) are the
/// shipped `topologies/*.toml`, byte for byte: editing a card without regenerating fails here.
@Suite struct BundledCardsTests {
    @Test func bundledTextsMatchTheShippedCards() throws {
        let folder = URL(fileURLWithPath: RepositoryPaths.topologies)
        let names = Card.availableCards(in: folder)
        #expect(!names.isEmpty)
        #expect(Set(names) == Set(Card.bundledTexts.keys), "run `make cards`: the bundled set differs from topologies/")
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent("\(name).toml"), encoding: .utf8)
            #expect(Card.bundledTexts[name] == text, "run `make cards`: the bundled '\(name)' differs from topologies/\(name).toml")
        }
    }

    @Test func bundledCardDecodesLikeTheFile() throws {
        let fromFile = try Card.load(nameOrPath: "ttbar", directory: RepositoryPaths.topologies)
        let bundled = try Card.decode(toml: #require(Card.bundledTexts["ttbar"]), name: "ttbar", file: "bundled")
        #expect(bundled.digest == fromFile.digest)
        #expect(bundled.name == fromFile.name)
    }
}
