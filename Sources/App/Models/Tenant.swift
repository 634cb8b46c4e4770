import Foundation

/// A client company; every other record belongs to one.
struct Tenant: Sendable, Codable, Equatable {
    var id: UUID
    var name: String
    var createdAt: Date
}
