/// Something an operator does to a case; `CaseWorkflow.apply` says in which states it is legal and what it does.
///
/// Raw values are the strings used in the API and the audit log. Steps after CJ/T 315-2009; glossary in DESIGN.md §5.
public enum CaseAction: String, Codable, CaseIterable, Sendable {
    /// 立案: accepted → registered.
    case register
    /// 派遣: registered → dispatched (to a responsible unit).
    case dispatch
    /// 指派网格员: the unit holding the case names the grid worker who goes out; dispatched/handling, state unchanged.
    case assign
    /// 开始处置: the unit or grid worker takes it up; dispatched → handling.
    case start
    /// 退单: the unit sends it back with a reason; dispatched/handling → returned.
    case `return`
    /// 改派: the centre sends it to another unit; returned/dispatched/handling → dispatched.
    case reassign
    /// 处置完成: handling → handled.
    case resolve
    /// 核查通过: handled → verified.
    case verify
    /// 核查不通过: handled → handling, counted as rework.
    case failVerification = "fail_verification"
    /// 结案: verified → closed.
    case close
    /// 重新办理: the callback failed after closing; closed → dispatched, counted as rework.
    case reopen
    /// 回访: the centre calls the citizen back after closing and records a ``CallbackResult``; closed, state
    /// unchanged; refused once a satisfaction level is recorded (until the case is reopened and closed again).
    case callback
    /// 挂账: stop the clock; registered/dispatched/handling/returned → suspended.
    case suspend
    /// 恢复计时: suspended → the state before suspension.
    case resume
    /// 督办升级: raise the escalation level by one; any open state, state unchanged.
    case escalate
    /// 申请延期: dispatched/handling, when no request is pending.
    case requestExtension = "request_extension"
    /// 批准延期: grants the pending request.
    case approveExtension = "approve_extension"
    /// 下派: the street/town operations centre holding the case sends it to one of its own units or grid workers in
    /// one action; dispatched/handling/returned → dispatched.
    case dispatchDown = "dispatch_down"
    /// 上退: the street/town operations centre holding the case returns it to its district centre with a reason;
    /// dispatched/handling/returned → returned.
    case returnUp = "return_up"

    /// Whether photos may go with the action: `resolve` (the evidence the verifier looks at), `failVerification`
    /// (what is still wrong) and `return` (why it is not this unit's job). Other steps take none.
    public var takesPhotos: Bool {
        switch self {
        case .resolve, .failVerification, .return: return true
        default: return false
        }
    }

    /// Whether the operator must give a reason or an account: `return`, `returnUp`, `failVerification`, `reopen`,
    /// `suspend` and `requestExtension` (the reason goes to the audit log and to whoever acts next), and `resolve`
    /// (what was done: the verifier checks it on site, CJ/T 315 处置反馈).
    public var requiresNote: Bool {
        switch self {
        case .return, .returnUp, .resolve, .failVerification, .reopen, .suspend, .requestExtension: return true
        default: return false
        }
    }
}
