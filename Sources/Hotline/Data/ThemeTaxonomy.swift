import Foundation

/// The official three-level label taxonomy of the teddy2020 corpus (2020 Teddy Cup problem C, 附件1: 517 rows of
/// 一级/二级/三级分类), shipped as `Resources/theme-taxonomy-terms.csv` with the columns `label_level1`, `level2` and
/// `text` (the level-3 name). Training uses each level-3 name as a short extra example of its level-1 label
/// (``HotlineTrainingOptions/taxonomyWeight``): the names are the officials' own words for each topic
/// (`劳动合同`, `医患纠纷`, `噪声污染`), which hotline messages share.
public enum ThemeTaxonomy {
    /// Name of the resource inside the module's `Resources` folder.
    public static let resourceName = "theme-taxonomy-terms.csv"

    /// Every level-3 name as an example labelled with its level-1 name, in file order (517 rows, 15 labels).
    /// Read once per process.
    /// - Throws: `CocoaError(.fileNoSuchFile)` when the resource is missing, else as ``HotlineDataset/load(contentsOf:)``.
    public static func terms() throws -> [HotlineExample] { try cached.get() }

    private static let cached: Result<[HotlineExample], any Error> = Result {
        guard
            let url = Bundle.module.url(
                forResource: "theme-taxonomy-terms", withExtension: "csv", subdirectory: "Resources")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/\(resourceName)"]) }
        return try HotlineDataset.load(contentsOf: url)
    }
}
