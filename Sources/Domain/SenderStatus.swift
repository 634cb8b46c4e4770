/// Whether a sender takes part in sender selection.
public enum SenderStatus: String, Sendable, CaseIterable, Codable {
    /// Selected for new messages.
    case active = "ACTIVE"
    /// Kept out of selection for now; messages it already sent still receive their reports.
    case paused = "PAUSED"
    /// Out of selection until an operator enables it again, for example a banned number.
    case disabled = "DISABLED"
}
