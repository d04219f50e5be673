/// Assigns examples to `k` folds so that every class is spread evenly over the folds.
enum StratifiedFolds {
    /// Each class's indices are shuffled with a ``SplitMix64`` seeded by `seed`, then dealt round-robin; the
    /// dealing continues from class to class (classes in sorted order) so fold sizes differ by at most one.
    /// - Returns: the fold (`0..<k`) of each label, in input order.
    static func assign(labels: [Int], classCount: Int, folds k: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed)
        var byClass = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() { byClass[label].append(index) }
        var fold = [Int](repeating: 0, count: labels.count)
        var next = 0
        for var members in byClass {
            members.shuffle(using: &generator)
            for index in members {
                fold[index] = next % k
                next += 1
            }
        }
        return fold
    }
}
