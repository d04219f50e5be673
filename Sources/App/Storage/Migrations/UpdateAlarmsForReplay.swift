import Fluent

/// What a late reading's replay (``AlarmReplay``) must know (CityNet issue 11 §1, §3). Names are spelled out: this
/// migration must never change when the code does.
/// - `alarms.withdrawn_at_ms`: when a replay found the alarm's condition never held (processing time, ms since 1970
///   UTC); a withdrawn alarm keeps its row and history but no later replay counts it.
/// - `alarm_rule_states.replay_floor_ms`: the observed time (ms since 1970 UTC) before which no replay of the
///   (sensor, rule) starts: set where the rule's progress was reset outside the readings (the rule changed, was
///   enabled, or an operator cleared its alarm by hand), since the readings alone cannot say what the state was
///   there.
struct UpdateAlarmsForReplay: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("alarms").field("withdrawn_at_ms", .int64).update()
        try await database.schema("alarm_rule_states").field("replay_floor_ms", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("alarm_rule_states").deleteField("replay_floor_ms").update()
        try await database.schema("alarms").deleteField("withdrawn_at_ms").update()
    }
}
