import Foundation
import Hotline
import Testing

struct RoadNameTests {
    @Test func loadsAndMergesRows() throws {
        let csv = "name,region_code\n莲溪路,310115105\n莲溪路,310115016\n沪闵路,310112\n莲溪路,310115105\n"
        let roads = try RoadName.load(csv: csv)
        #expect(
            roads == [
                RoadName(name: "莲溪路", regionCodes: ["310115105", "310115016"]),
                RoadName(name: "沪闵路", regionCodes: ["310112"]),
            ])
    }

    @Test func missingColumnIsNamed() {
        #expect(throws: RoadNameError.missingColumn("region_code")) { try RoadName.load(csv: "name,code\n莲溪路,1\n") }
    }

    @Test func emptyFieldNamesTheRow() {
        #expect(throws: RoadNameError.emptyField(row: 2, column: "name")) {
            try RoadName.load(csv: "name,region_code\n莲溪路,310115105\n,310115016\n")
        }
    }

    @Test func unknownCodesAreIgnoredByTheExtractor() throws {
        let extractor = PlaceExtractor(
            hierarchy: PlaceExtractorTests.hierarchy, roads: [RoadName(name: "幻想路", regionCodes: ["999999"])])
        #expect(extractor.extract("幻想路积水").mentions.isEmpty)
    }
}
