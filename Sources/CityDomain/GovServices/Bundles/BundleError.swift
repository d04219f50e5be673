/// Why a bundle definition was refused: each case names the bundle and the exact fault.
public enum BundleError: Error, Equatable, Sendable, CustomStringConvertible {
    case noLegs(bundle: String)
    case unknownItem(bundle: String, item: String)
    case repeatedItem(bundle: String, item: String)
    /// `after` or a feed names an item that is not a leg of the bundle.
    case notALeg(bundle: String, item: String, named: String)
    case selfDependency(bundle: String, item: String)
    /// The legs in `path` wait for each other in a circle (the first is repeated at the end).
    case cycle(bundle: String, path: [String])
    case unknownMaterial(bundle: String, item: String, material: String)
    /// The feeding item produces no licence of the kind the material asks for.
    case feedMismatch(bundle: String, from: String, to: String, material: String)
    case repeatedField(bundle: String, field: String)

    public var description: String {
        switch self {
        case .noLegs(let bundle): "bundle \(bundle) has no legs"
        case .unknownItem(let bundle, let item): "bundle \(bundle): item \(item) is not in the catalogue"
        case .repeatedItem(let bundle, let item): "bundle \(bundle): item \(item) appears twice"
        case .notALeg(let bundle, let item, let named):
            "bundle \(bundle): \(item) depends on \(named), which is not a leg of the bundle"
        case .selfDependency(let bundle, let item): "bundle \(bundle): item \(item) depends on itself"
        case .cycle(let bundle, let path):
            "bundle \(bundle): legs depend on each other in a cycle: " + path.joined(separator: " → ")
        case .unknownMaterial(let bundle, let item, let material):
            "bundle \(bundle): item \(item) has no e-licence material \(material)"
        case .feedMismatch(let bundle, let from, let to, let material):
            "bundle \(bundle): the licence \(from) produces is not the kind material \(material) of \(to) needs"
        case .repeatedField(let bundle, let field): "bundle \(bundle): shared field \(field) appears twice"
        }
    }
}
