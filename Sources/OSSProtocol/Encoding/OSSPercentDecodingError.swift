/// Why a percent-encoded string could not be decoded.
///
/// Kept apart from ``OSSError`` because the right OSS code depends on where the text came from:
/// a bad key is `InvalidObjectName`, a bad query parameter is `InvalidArgument`.
public enum OSSPercentDecodingError: Error, Sendable, Hashable {
    /// A `%` that is not followed by two hexadecimal digits; carries the whole input.
    case invalidEscape(String)
    /// The decoded bytes are not valid UTF-8; carries the whole (still encoded) input.
    case invalidUTF8(String)

    /// The encoded text that failed to decode.
    public var input: String {
        switch self {
        case .invalidEscape(let input), .invalidUTF8(let input):
            return input
        }
    }
}
