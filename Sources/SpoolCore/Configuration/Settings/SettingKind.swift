import SpoolJSON

/// What one kind of setting value looks like: how it is read from the configuration file (JSON) and from an
/// environment variable or flag (text), how it is named in the README, and how a value is shown there.
///
/// A reader returns nil for a value that is not of the kind; the caller turns that into an error naming the
/// setting and the value. An optional kind (`orNull`, `optionalText`) reads JSON `null` as a value: `.some(nil)`.
package struct SettingKind<Value: Sendable>: Sendable {
    /// The kind in a few words, for the README's table: "number ≥ 0".
    package let name: String
    /// What a value must be, for error messages: "a non-negative number".
    package let expected: String
    let fromJSON: @Sendable (JSONValue) -> Value?
    let fromText: @Sendable (String) -> Value?
    /// The value as the README shows it, or nil when it is unset.
    let show: @Sendable (Value) -> String?
    /// The value as the example configuration file writes it.
    let toJSON: @Sendable (Value) -> JSONValue
}

extension SettingKind where Value == String {
    /// Any text.
    static var text: Self {
        .init(name: "text", expected: "a string", fromJSON: { $0.stringValue }, fromText: { $0 }, show: { $0 },
              toJSON: { .string($0) })
    }

    /// A word matched without regard to case and kept lowercased (`JSON` is `json`); the loader checks the word.
    static var word: Self {
        .init(name: "text, any case", expected: "a string", fromJSON: { $0.stringValue?.lowercased() },
              fromText: { $0.lowercased() }, show: { $0 }, toJSON: { .string($0) })
    }
}

extension SettingKind where Value == String? {
    /// Text, or nothing: JSON `null` and an empty string both leave the setting unset.
    static var optionalText: Self {
        .init(name: "text", expected: "a string or null",
              fromJSON: { value in value.isNull ? .some(nil) : value.stringValue.map { $0.isEmpty ? nil : $0 } },
              fromText: { $0 }, show: { $0 }, toJSON: { $0.map(JSONValue.string) ?? .null })
    }
}

extension SettingKind where Value == Double {
    /// A finite number ≥ 0.
    static var number: Self {
        .init(name: "number ≥ 0", expected: "a non-negative number",
              fromJSON: { $0.doubleValue.flatMap(nonNegative) }, fromText: { Double($0).flatMap(nonNegative) },
              show: { SettingText.number($0) }, toJSON: SettingText.json)
    }

    private static func nonNegative(_ number: Double) -> Double? { number.isFinite && number >= 0 ? number : nil }
}

extension SettingKind where Value: FixedWidthInteger & Sendable {
    /// A whole number of at least `minimum`.
    static func wholeNumber(atLeast minimum: Value = 0) -> Self {
        .init(name: "whole number ≥ \(minimum)",
              expected: minimum == 0 ? "a non-negative whole number" : "a whole number of at least \(minimum)",
              fromJSON: { $0.integerValue.flatMap { Value(exactly: $0) }.flatMap { $0 >= minimum ? $0 : nil } },
              fromText: { Value($0).flatMap { $0 >= minimum ? $0 : nil } },
              show: { "\($0)" }, toJSON: { .integer(Int64($0)) })
    }
}

extension SettingKind where Value == Bool {
    /// `true` or `false`; from text also `1`/`0`, `yes`/`no`, `on`/`off`, in any case.
    static var flag: Self {
        .init(name: "true or false", expected: "true or false", fromJSON: { $0.boolValue },
              fromText: { text in
                  switch text.lowercased() {
                  case "1", "true", "yes", "on": true
                  case "0", "false", "no", "off": false
                  default: nil
                  }
              },
              show: { "\($0)" }, toJSON: { .bool($0) })
    }
}

extension SettingKind where Value == [Double] {
    /// At least one delay in seconds: a JSON array, or comma-separated text (`0,5,300`).
    static var secondsList: Self {
        .init(name: "seconds, comma-separated", expected: "a non-empty list of non-negative seconds",
              fromJSON: { value in
                  guard let items = value.arrayValue, !items.isEmpty else { return nil }
                  let numbers = items.compactMap { SettingKind<Double>.number.fromJSON($0) }
                  return numbers.count == items.count ? numbers : nil
              },
              fromText: { text in
                  let parts = text.split(separator: ",")
                  let numbers = parts.compactMap { SettingKind<Double>.number.fromText($0.trimmingCharacters(in: " ")) }
                  return !numbers.isEmpty && numbers.count == parts.count ? numbers : nil
              },
              show: { $0.map(SettingText.number).joined(separator: ",") }, toJSON: { .array($0.map(SettingText.json)) })
    }
}

extension SettingKind where Value == [String] {
    /// Non-empty strings, none at all allowed: a JSON array, or comma-separated text.
    static var textList: Self {
        .init(name: "list of text", expected: "an array of strings",
              fromJSON: { value in
                  guard let items = value.arrayValue else { return nil }
                  let texts = items.compactMap { $0.stringValue }.filter { !$0.isEmpty }
                  return texts.count == items.count ? texts : nil
              },
              fromText: { text in text.split(separator: ",").map { $0.trimmingCharacters(in: " ") } },
              show: { $0.isEmpty ? nil : $0.joined(separator: ",") }, toJSON: { .array($0.map(JSONValue.string)) })
    }
}

extension SettingKind where Value: RawRepresentable & CaseIterable & Sendable, Value.RawValue == String {
    /// One of the enumeration's raw values, in any case.
    static var choice: Self {
        let names = Value.allCases.map(\.rawValue)
        let parse: @Sendable (String) -> Value? = { Value(rawValue: $0.lowercased()) }
        return .init(name: SettingText.alternatives(names.map { "`\($0)`" }), expected: SettingText.alternatives(names),
                     fromJSON: { $0.stringValue.flatMap(parse) }, fromText: parse, show: { $0.rawValue },
                     toJSON: { .string($0.rawValue) })
    }
}

extension SettingKind {
    /// The same kind, or JSON `null` for no value (the setting's own default meaning, or a team's inheritance).
    ///
    /// It is built for every setting at start, so it searches the UTF-8 bytes: `String.contains` resolves to
    /// Foundation's locale-aware search (CoreFoundation's string code) wherever Foundation is imported in the module.
    var orNull: SettingKind<Value?> {
        .init(name: name, expected: expected + (expected.utf8.contains(" or ".utf8) ? ", or null" : " or null"),
              fromJSON: { value in value.isNull ? .some(nil) : fromJSON(value).map { .some($0) } },
              fromText: { fromText($0).map { .some($0) } },
              show: { $0.flatMap(show) }, toJSON: { $0.map(toJSON) ?? .null })
    }
}

/// How values are written in the README and in messages.
enum SettingText {
    /// `30` rather than `30.0`; fractions as they are.
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A whole number as a JSON integer (`30`, not `30.0`), any other as it is.
    static func json(_ value: Double) -> JSONValue {
        value.rounded() == value && abs(value) < 1e15 ? .integer(Int64(value)) : .number(value)
    }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}
