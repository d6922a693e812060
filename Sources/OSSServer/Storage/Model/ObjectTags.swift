/// OSS's rules for object tags (§3.5, §5.3), checked by every write that sets tags: PutObject,
/// InitiateMultipartUpload, the first AppendObject, CopyObject with replaced tags, PutSymlink and
/// PutObjectTagging.
///
/// Storage checks them rather than the HTTP layer because tags arrive through six operations and
/// two encodings (`x-oss-tagging`, the `<Tagging>` document); one check here cannot be forgotten on
/// one of those paths. Unique keys are the parser's job: a dictionary cannot hold duplicates.
enum ObjectTags {
    /// Most tags one object may carry.
    static let maxCount = 10
    /// Longest key, in Unicode scalars.
    static let maxKeyLength = 128
    /// Longest value, in Unicode scalars.
    static let maxValueLength = 256
    /// Besides letters and digits, the characters OSS allows in keys and values.
    static let punctuation: Set<Character> = [" ", "+", "-", "=", ".", "_", ":", "/"]

    /// Throws `invalidArgument` naming the first rule `tags` breaks: too many tags, an empty or
    /// too long key, a too long value, or a character outside letters, digits and ``punctuation``.
    static func validate(_ tags: [String: String]) throws(StorageError) {
        guard tags.count <= maxCount else {
            throw StorageError.invalidArgument("an object may carry at most \(maxCount) tags, not \(tags.count)")
        }
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty else { throw StorageError.invalidArgument("a tag key must not be empty") }
            guard key.unicodeScalars.count <= maxKeyLength else {
                throw StorageError.invalidArgument(
                    "tag key '\(key.prefix(20))…' is longer than \(maxKeyLength) characters")
            }
            guard value.unicodeScalars.count <= maxValueLength else {
                throw StorageError.invalidArgument(
                    "the value of tag '\(key)' is longer than \(maxValueLength) characters")
            }
            for text in [key, value] {
                if let bad = text.first(where: { !($0.isLetter || $0.isNumber || punctuation.contains($0)) }) {
                    throw StorageError.invalidArgument(
                        "tag '\(key)' contains '\(bad)': use letters, digits, space and + - = . _ : /")
                }
            }
        }
    }
}
