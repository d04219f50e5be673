import Fluent
import Foundation

/// A hotline message an operator categorised by hand: a labelled example `citynet hotline train --corrections`
/// adds to the training file, so the classifier learns from daily use (CityNet hotline issue §2).
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class TrainingExample: Model, @unchecked Sendable {
    static let schema = "hotline_examples"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    /// The message as received.
    @Field(key: "text") var text: String
    /// The theme label for training (`CategoryRules.theme(for:)` of ``categoryCode``); nil when no theme fits.
    @OptionalField(key: "theme") var theme: String?
    /// The fine category the operator chose.
    @Field(key: "category_code") var categoryCode: String
    /// What the model said: its theme and the rules' best category (nil when none fired).
    @OptionalField(key: "model_theme") var modelTheme: String?
    @OptionalField(key: "model_category_code") var modelCategoryCode: String?
    /// The router label (issue 10 vocabulary, e.g. `street_office`) of the unit the operator's decision points
    /// to; nil for examples that teach only the theme classifier.
    @OptionalField(key: "unit_kind") var unitKind: String?
    /// What produced the example: `triage` (a triage decision), `return` (a case returned with a reason),
    /// `reassign` (a centre reassigned the case); nil for rows written before routing examples existed.
    @OptionalField(key: "source") var source: String?
    @Field(key: "report_id") var reportID: Int
    /// The operator's username.
    @Field(key: "actor") var actor: String

    init() {}
}
