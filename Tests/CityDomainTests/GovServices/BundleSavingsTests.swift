import Foundation
import Testing

@testable import CityDomain

/// What a bundle saves, computed from the catalogue: the figures follow the rules in ``BundleSavings``.
struct BundleSavingsTests {
    @Test func savingsOfAChainWithAParallelLeg() throws {
        let plan = try BundlePlan(BundlePlanTests.chain, catalogue: BundlePlanTests.catalogue)
        let savings = BundleSavings(plan: plan, catalogue: BundlePlanTests.catalogue)
        #expect(savings.applications == .init(itemByItem: 4, bundle: 1))
        // 4 items of 2 steps; 3 acceptances merged into one.
        #expect(savings.steps == .init(itemByItem: 8, bundle: 5))
        // A form, B m+form, C n+m, D form = 6; in the bundle: form once, C's m (kind ka) once; B's m and C's n fed.
        #expect(savings.materials == .init(itemByItem: 6, bundle: 2))
        #expect(savings.visits == .init(itemByItem: 2, bundle: 1))
        // 0 + 5 + 15 + 10 one after the other; A → B → C (20) is longer than D (10).
        #expect(savings.days == .init(itemByItem: 30, bundle: 20))
        #expect(savings.days.saved == 10)
        #expect(savings.criticalPath == ["A", "B", "C"])
    }

    @Test func aParallelLegLongerThanTheChainSetsTheBundleTime() throws {
        let plan = try BundlePlan(
            BundlePlanTests.definition(
                legs: [.init(item: "A"), .init(item: "B"), .init(item: "D")],
                feeds: [.init(from: "A", to: "B", material: "m")]),
            catalogue: BundlePlanTests.catalogue)
        let savings = BundleSavings(plan: plan, catalogue: BundlePlanTests.catalogue)
        #expect(savings.days == .init(itemByItem: 15, bundle: 10))
        #expect(savings.criticalPath == ["D"])
    }

    @Test func bundledSavingsAreComputedFromTheCatalogue() throws {
        let bundles = try BundleCatalogue.bundled()
        let catalogue = try ServiceCatalogue.bundled()
        var lines: [String] = []
        for plan in bundles.plans {
            let s = BundleSavings(plan: plan, catalogue: catalogue)
            lines.append(
                "\(plan.code): applications \(s.applications.itemByItem)→\(s.applications.bundle), steps "
                    + "\(s.steps.itemByItem)→\(s.steps.bundle), materials \(s.materials.itemByItem)→"
                    + "\(s.materials.bundle), visits \(s.visits.itemByItem)→\(s.visits.bundle), days "
                    + "\(s.days.itemByItem)→\(s.days.bundle) via \(s.criticalPath.joined(separator: ">"))")
        }
        print(lines.joined(separator: "\n"))
        let newborn = BundleSavings(plan: try #require(bundles["newborn"]), catalogue: catalogue)
        // 0 + 0 + 5 + 15 + 1 + 3 + 10 item by item; 出生医学证明 (0) → 落户 (5) → 社保卡 (15) as a bundle.
        #expect(newborn.days == .init(itemByItem: 34, bundle: 20))
        #expect(newborn.criticalPath == ["SH-WJW-0001", "SH-GA-0001", "SH-RS-0001"])
        #expect(newborn.visits == .init(itemByItem: 3, bundle: 1))
        #expect(newborn.applications.saved == 6)
    }
}
