import Fluent
import Foundation

/// A photo sent with a case action (处置照片: the grid worker's evidence that the job is done), kept with the audit
/// event it came with. Rows are only ever inserted.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class CasePhoto: Model, @unchecked Sendable {
    static let schema = "case_photos"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: Int
    /// The ``CaseEvent`` (the action) the photo was sent with.
    @Field(key: "event_id") var eventID: Int
    /// Order among the photos of one action (0, 1, …), as sent.
    @Field(key: "position") var position: Int
    @Field(key: "created_at") var createdAt: Date
    /// `image/jpeg`, `image/png` or `image/webp`, as read from the bytes (never as the sender said).
    @Field(key: "content_type") var contentType: String
    @Field(key: "byte_count") var byteCount: Int
    /// Hex SHA-256 of ``data``.
    @Field(key: "sha256") var sha256: String
    @Field(key: "data") var data: Data
    /// The operator who sent it.
    @Field(key: "uploaded_by") var uploadedBy: String

    init() {}

    init(caseID: Int, eventID: Int, position: Int, at: Date, upload: PhotoUpload, by actor: String) {
        self.id = UUID()
        self.caseID = caseID
        self.eventID = eventID
        self.position = position
        self.createdAt = at
        self.contentType = upload.contentType
        self.byteCount = upload.data.count
        self.sha256 = Access.digest(upload.data)
        self.data = upload.data
        self.uploadedBy = actor
    }
}
