/// One labelled citizen message: the level-1 category (一级标签) and the raw message text.
public struct HotlineExample: Sendable, Equatable, Hashable {
    /// The category label, e.g. `城乡建设`.
    public var label: String
    /// The message as received (title and details run together in the teddy2020 corpus); not normalised.
    public var text: String

    /// Creates an example from a label and a raw text.
    public init(label: String, text: String) {
        self.label = label
        self.text = text
    }
}
