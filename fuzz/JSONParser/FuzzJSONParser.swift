/// libFuzzer entry for `JSONValue(parsing:)`, compiled into the SpoolJSON module by `fuzz/build.sh`.
///
/// Beyond "no crash", every input checks: a refused document names an offset inside it; an accepted one
/// serializes to bytes that parse back to an equal value and serialize to the same bytes again.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSONParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let value: JSONValue
    do {
        value = try JSONValue(parsing: input)
    } catch {
        precondition(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside \(size) bytes")
        return 0
    }
    let serialized = value.serialized()
    let reparsed: JSONValue
    do {
        reparsed = try JSONValue(parsing: serialized)
    } catch {
        preconditionFailure("serialized value does not parse (\(error)): \(String(decoding: serialized, as: UTF8.self))")
    }
    precondition(reparsed == value, "round trip changed the value: \(String(decoding: serialized, as: UTF8.self))")
    precondition(reparsed.serialized() == serialized, "second serialization differs from the first")
    return 0
}
