import Foundation
import Hotline
import Testing

/// The scenario of 118 real noise complaints read by hand (`noise_scenarios_read.csv`), as triage gives it.
struct NoiseScenarioAccuracyTests {
    @Test func atLeastEightyPercentOfTheReadNoiseComplaintsGetTheirScenario() throws {
        let rows = try RoutingDataset.loadNoiseScenarios(
            csv: String(contentsOf: RoutingFixture.noise, encoding: .utf8))
        #expect(rows.count == 118)
        var right = 0
        var wrong: [String] = []
        for row in rows {
            let result = RoutingFixture.triage.triage(text: row.text)
            if result.noiseScenario == row.scenario {
                right += 1
            } else {
                wrong.append("\(row.scenario) ← \(result.noiseScenario ?? "none"): \(row.text.prefix(40))")
            }
        }
        let accuracy = Double(right) / Double(rows.count)
        #expect(accuracy >= 0.8, "\(accuracy)\n\(wrong.joined(separator: "\n"))")
        print("noise scenario accuracy \(right)/\(rows.count)\n" + wrong.joined(separator: "\n"))
    }
}

/// 32 further noise complaints read by hand after the trigger phrases were written (`noise_scenarios_holdout.csv`):
/// the held-out check of the scenario rules.
struct NoiseScenarioHoldoutTests {
    @Test func theHeldOutNoiseComplaintsGetTheirScenarioAtLeastSevenTimesInTen() throws {
        let rows = try RoutingDataset.loadNoiseScenarios(
            csv: String(
                contentsOf: RoutingFixture.data.appendingPathComponent("noise_scenarios_holdout.csv"), encoding: .utf8))
        #expect(rows.count == 32)
        var wrong: [String] = []
        for row in rows {
            let result = RoutingFixture.triage.triage(text: row.text)
            if result.noiseScenario != row.scenario {
                wrong.append("\(row.scenario) ← \(result.noiseScenario ?? "none"): \(row.text.prefix(40))")
            }
        }
        let accuracy = Double(rows.count - wrong.count) / Double(rows.count)
        #expect(accuracy >= 0.7, "\(accuracy)\n\(wrong.joined(separator: "\n"))")
        print(
            "held-out noise scenario accuracy \(rows.count - wrong.count)/\(rows.count)\n"
                + wrong.joined(separator: "\n"))
    }
}
