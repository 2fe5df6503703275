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
}
