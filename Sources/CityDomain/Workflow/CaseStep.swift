/// The timed steps of a case after CJ/T 315-2009 / GB/T 30428 (立案, 派遣, 处置, 核查, 结案), each of which may have
/// its own time limit; `CaseWorkflow.step(for:)` says whose clock runs in a state. Acceptance (受理) is when the
/// clocks start, not a timed step of its own.
public enum CaseStep: String, Codable, CaseIterable, Sendable {
    /// 立案: the centre decides to register the accepted report as a case.
    case register
    /// 派遣: the centre sends the case to the responsible unit.
    case dispatch
    /// 处置: the unit handles it.
    case handle
    /// 核查: someone else checks on site that it was handled.
    case verify
    /// 结案: the centre closes it.
    case close

    /// The Chinese label.
    public var nameZh: String {
        switch self {
        case .register: return "立案"
        case .dispatch: return "派遣"
        case .handle: return "处置"
        case .verify: return "核查"
        case .close: return "结案"
        }
    }
}
