import Foundation

/// Why a set of regions does not form a valid hierarchy, or why bundled region data could not be read.
public enum RegionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Two regions share one code.
    case duplicateCode(String)
    /// A region names a parent code that is not in the hierarchy.
    case unknownParent(code: String, parentCode: String)
    /// No region without a parent.
    case noRoot
    /// More than one region without a parent (codes listed).
    case multipleRoots([String])
    /// A region's level is not deeper than its parent's level.
    case levelNotDeeper(code: String, level: RegionLevel, parentCode: String, parentLevel: RegionLevel)
    /// A region code or name is empty.
    case emptyField(code: String, field: String)
    /// A bundled resource file is missing from `Bundle.module`.
    case missingResource(String)
    /// A row of a bundled CSV file is unusable (1-based data row number, header excluded).
    case malformedRow(file: String, row: Int, reason: String)

    public var description: String {
        switch self {
        case .duplicateCode(let code):
            "Region code \(code) appears more than once."
        case .unknownParent(let code, let parent):
            "Region \(code) names parent \(parent), which is not in the hierarchy."
        case .noRoot:
            "The hierarchy has no root: every region names a parent."
        case .multipleRoots(let codes):
            "The hierarchy has \(codes.count) roots (\(codes.joined(separator: ", "))); exactly one is allowed."
        case .levelNotDeeper(let code, let level, let parent, let parentLevel):
            "Region \(code) is at level \(level.rawValue) but its parent \(parent) is at level \(parentLevel.rawValue); "
                + "a child must be deeper than its parent."
        case .emptyField(let code, let field):
            "Region \(code.isEmpty ? "with an empty code" : code) has an empty \(field)."
        case .missingResource(let name):
            "Bundled resource \(name) is missing from the CityDomain bundle."
        case .malformedRow(let file, let row, let reason):
            "\(file), data row \(row): \(reason)."
        }
    }
}
