import ArgumentParser
import Foundation

/// `--output`: lines for people, or one JSON document for scripts.
///
/// JSON output is one document on standard output (progress and warnings stay on standard
/// error), with sizes as numbers of bytes and dates in ISO 8601, so that `jq` and any JSON
/// parser read it without scraping columns.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}

/// Prints `value` (dictionaries, arrays, strings, numbers, booleans, `NSNull`) as JSON, keys sorted.
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}
