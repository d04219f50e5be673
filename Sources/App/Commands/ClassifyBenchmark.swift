import Hotline
import Vapor

/// The classifier benchmark behind `citynet bench classify --data FILE.csv` (see ``BenchCommand``): training time
/// on the file beside the time to read and normalise it, and classification throughput on one task (one core)
/// beside normalisation alone over the same messages.
struct ClassifyBenchmark {
    let dataPath: String
    /// Passes over the messages when measuring throughput.
    let rounds: Int

    func run() throws -> [String] {
        let url = URL(fileURLWithPath: dataPath)
        let readStart = ContinuousClock.now
        let examples = try HotlineDataset.load(contentsOf: url)
        let normalised = examples.map { TextNormalizer.normalize($0.text) }
        let readTime = (ContinuousClock.now - readStart).seconds
        guard !examples.isEmpty, normalised.count == examples.count else {
            throw CommandFailure("no messages in \(dataPath)")
        }

        let trainStart = ContinuousClock.now
        let model = try HotlineModel.train(examples)
        let trainTime = (ContinuousClock.now - trainStart).seconds

        let texts = examples.map(\.text)
        var checksum = 0
        let normaliseStart = ContinuousClock.now
        for _ in 0..<rounds { for text in texts { checksum &+= TextNormalizer.normalize(text).utf8.count } }
        let normaliseRate = Double(rounds * texts.count) / (ContinuousClock.now - normaliseStart).seconds
        let classifyStart = ContinuousClock.now
        for _ in 0..<rounds { for text in texts { checksum &+= model.classify(text, topK: 1).ranked.count } }
        let classifyRate = Double(rounds * texts.count) / (ContinuousClock.now - classifyStart).seconds
        precondition(checksum != 0)  // keeps the loops from being optimised away

        return [
            "bench classify_rate \(Int(classifyRate)) messages/s reference \(Int(normaliseRate)) messages/s",
            "bench train_time \(String(format: "%.2f", trainTime)) s reference \(String(format: "%.2f", readTime)) s",
        ]
    }
}
