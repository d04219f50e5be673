import Foundation
import Hotline
import Testing

/// The routing CSV (`text`, `unit_kind`, optional `noise_scenario`) and its precise errors; the shipped labels.
struct RoutingDatasetTests {
    @Test func readsTheColumnsInAnyOrderWithOptionalScenario() throws {
        let csv =
            "id,unit_kind,text,noise_scenario\n1,street_office,小区垃圾没人清运,\n2,chengguan,\"工地夜间施工，噪音扰民\",construction_site\n"
        let loaded = try RoutingDataset.load(csv: csv)
        #expect(loaded.hasNoiseColumn)
        #expect(
            loaded.examples == [
                RouteExample(text: "小区垃圾没人清运", unitKind: "street_office"),
                RouteExample(text: "工地夜间施工，噪音扰民", unitKind: "chengguan", noiseScenario: "construction_site"),
            ])
        #expect(try !RoutingDataset.load(csv: "text,unit_kind\n学校收费,education\n").hasNoiseColumn)
    }

    @Test func badInputGetsAPreciseError() {
        #expect(throws: RoutingDatasetError.emptyFile) { try RoutingDataset.load(csv: " \n") }
        #expect(throws: RoutingDatasetError.missingColumn(name: "unit_kind", found: ["text", "label"])) {
            try RoutingDataset.load(csv: "text,label\n学校收费,education\n")
        }
        #expect(throws: RoutingDatasetError.missingColumn(name: "text", found: ["unit_kind"])) {
            try RoutingDataset.load(csv: "unit_kind\neducation\n")
        }
        #expect(throws: RoutingDatasetError.noRows) { try RoutingDataset.load(csv: "text,unit_kind\n") }
        #expect(throws: RoutingDatasetError.unknownUnitKind(row: 3, value: "fire_brigade")) {
            try RoutingDataset.load(csv: "text,unit_kind\n学校收费,education\n着火了,fire_brigade\n")
        }
        #expect(throws: RoutingDatasetError.unknownNoiseScenario(row: 2, value: "dogs")) {
            try RoutingDataset.load(csv: "text,unit_kind,noise_scenario\n狗叫,police,dogs\n")
        }
        #expect(throws: RoutingDatasetError.emptyText(row: 2)) {
            try RoutingDataset.load(csv: "text,unit_kind\n  ,police\n")
        }
        let message = RoutingDatasetError.unknownUnitKind(row: 3, value: "fire_brigade").description
        #expect(message.hasPrefix("row 3: unit_kind 'fire_brigade' is not one of chengguan, police"))
    }

    @Test func theShippedLabelsAndTheHandCheckAgreeWithTheirProvenance() throws {
        let loaded = try RoutingDataset.load(contentsOf: RoutingFixture.labels)
        #expect(loaded.examples.count == 1759)
        #expect(Set(loaded.examples.map(\.unitKind)) == Set(RoutingTable.labels))
        let check = try String(
            contentsOf: RoutingFixture.data.appendingPathComponent("routing_unit_labels_handcheck.csv"), encoding: .utf8
        )
        .split(whereSeparator: \.isNewline).dropFirst()
        #expect(check.count == 100)
        #expect(check.filter { $0.hasSuffix(",1") }.count == 84)
    }
}
