/// English for messages: counts with the right plural ("1 shard", "2 shards") and the right
/// article before a topology name ("an antler", "a ttbar-like").
public enum Wording {
    /// "1 epoch", "3 epochs"; `plural` defaults to the noun with an "s".
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
    }

    /// The word with "a" or "an" before it, by its first letter.
    public static func withArticle(_ word: String) -> String {
        let vowel = word.first.map { "aeiouAEIOU".contains($0) } ?? false
        return (vowel ? "an " : "a ") + word
    }
}
