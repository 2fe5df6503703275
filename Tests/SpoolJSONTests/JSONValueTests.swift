import Testing
@testable import SpoolJSON

@Suite("JSON parsing and serialization")
struct JSONValueTests {
    @Test("round-trips a document and keeps key order")
    func roundTrip() throws {
        let text = #"{"b":1,"a":[true,false,null,-2.5,"x\"y\n"],"c":{"z":{},"y":[]}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.serializedString() == text)
        #expect(value["a"]?.arrayValue?.count == 5)
    }

    @Test("integers and numbers stay apart")
    func numbers() throws {
        #expect(try JSONValue(parsing: "5") == .integer(5))
        #expect(try JSONValue(parsing: "5.0") == .number(5))
        #expect(try JSONValue(parsing: "1e3") == .number(1000))
        #expect(try JSONValue(parsing: "5.0").integerValue == 5)
        #expect(try JSONValue(parsing: "5.5").integerValue == nil)
        #expect(try JSONValue(parsing: "99999999999999999999") == .number(1e20))
    }

    @Test("unicode escapes, surrogate pairs and raw UTF-8")
    func unicode() throws {
        #expect(try JSONValue(parsing: #""\u00e9\ud83d\ude00 é""#) == .string("é😀 é"))
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #""\ud83d""#) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test("malformed documents are refused", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"a", "{} x", "[1] [2]", "\"\u{01}\"", "NaN",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("deep nesting is refused before the stack runs out")
    func depth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test("object equality ignores key order; duplicate keys keep the last value")
    func objects() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSONValue(parsing: #"{"a":1,"a":2}"#)["a"] == .integer(2))
    }

    @Test("control characters are escaped on output")
    func escaping() {
        #expect(JSONValue.string("a\u{01}b\tc").serializedString() == #""a\u0001b\tc""#)
    }

    @Test("text with nothing to escape is written as it is, text with something to escape is escaped everywhere")
    func plainAndEscapedText() {
        #expect(JSONValue.string("").serializedString() == #""""#)
        #expect(JSONValue.string("plain é 😀 /v1/jobs").serializedString() == #""plain é 😀 /v1/jobs""#)
        #expect(JSONValue.string("é\"q\" \\ end\n").serializedString() == #""é\"q\" \\ end\n""#)
        let keyed: JSONValue = ["tab\tkey": "x", "plain": "y\u{1F}"]
        #expect(keyed.serializedString() == #"{"tab\tkey":"x","plain":"y\u001f"}"#)
    }

    @Test("objects built from many members keep their order and their last value for a repeated key")
    func largeObjects() {
        let members = (0..<40).map { ("k\($0)", JSONValue.integer(Int64($0))) } + [("k3", JSONValue.string("last"))]
        let object = JSONValue.object(JSONObject(members))
        let expected = "{" + (0..<40).map { #""k\#($0)":"# + ($0 == 3 ? #""last""# : "\($0)") }.joined(separator: ",") + "}"
        #expect(object.serializedString() == expected)
    }
}
