import CityDomain
import Hotline
import Vapor

/// `citynet serve --demo`: feeds real corpus messages in as 12345 calls at a steady pace, so a newcomer sees
/// reports stored, classified, located, merged or queued, and dispatched within seconds of starting.
///
/// The messages (`Resources/demo/hotline-demo-messages.csv`, 200 messages from the 2020 Teddy Cup corpus, see its
/// PROVENANCE.md, or `CITYNET_DEMO_DATA`) name anonymised places, so each call gets a random Shanghai street or
/// town from the gazetteer as its address, marked ``placeMark`` wherever it is shown.
enum HotlineDemo {
    /// Appended to every demo address, so nobody mistakes the place for the caller's.
    static let placeMark = "（演示地点，随机指定）"

    /// The messages to feed: the configured CSV or the bundled excerpt.
    /// - Throws: when the file is missing or not a CSV with `label_level1` and `text` columns.
    static func messages(path: String?) throws -> [String] {
        if let path { return try HotlineDataset.load(contentsOf: URL(fileURLWithPath: path)).map(\.text) }
        guard
            let url = Bundle.module.url(
                forResource: "hotline-demo-messages", withExtension: "csv", subdirectory: "Resources/demo")
        else {
            throw CommandFailure("the bundled demo messages are missing (Resources/demo/hotline-demo-messages.csv)")
        }
        return try HotlineDataset.load(contentsOf: url).map(\.text)
    }

    /// The `index`-th demo call: message `index` (cycling), a street or town drawn with `random`, a channel in turn.
    static func call<R: RandomNumberGenerator>(
        _ index: Int, messages: [String], hierarchy: RegionHierarchy, now: Date, random: inout R
    ) -> HotlineCall {
        let streets = hierarchy.all.filter { $0.level == .street }
        let street = streets.randomElement(using: &random)
        let district = street.flatMap { hierarchy.ancestor(of: $0.code, at: .district) }
        let address = [district?.nameZh, street?.nameZh].compactMap { $0 }.joined() + placeMark
        let channels = HotlineChannel.allCases
        return HotlineCall(
            text: String(messages[index % messages.count].prefix(TextRules.maxDescriptionLength)), address: address,
            callerName: "演示", callerPhone: nil, channel: channels[index % channels.count], receivedAt: now,
            actor: CaseActor(name: "demo", unitCode: nil, role: nil), apiKeyID: nil, fallbackRegion: hierarchy.root.code
        )
    }

    /// The loop `serve --demo` runs: one call at boot, then one every `settings.interval` seconds.
    /// - Throws: when the messages cannot be read (so `serve` does not start with a demo that cannot run).
    static func periodicTask(settings: AppConfig.Demo, logger: Logger) throws -> PeriodicTask {
        let messages = try messages(path: settings.dataPath)
        logger.notice(
            "demo: feeding corpus messages in as 12345 calls; their Shanghai addresses are drawn at random \(placeMark)",
            metadata: ["messages": "\(messages.count)"])
        return PeriodicTask(name: "demo calls", interval: settings.interval, startsAtOnce: true) {
            application, number in
            let now = application.clock.now()
            var random = SystemRandomNumberGenerator()
            let call = Self.call(
                number, messages: messages, hierarchy: application.reference.hierarchy, now: now, random: &random)
            _ = try await HotlineIntake.receive(
                call, context: HotlineContext(application, now: now, logger: application.logger))
        }
    }
}
