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
    @Field(key: "report_id") var reportID: Int
    /// The operator's username.
    @Field(key: "actor") var actor: String

    init() {}
}
