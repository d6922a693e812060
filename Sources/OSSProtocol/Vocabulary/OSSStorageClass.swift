/// How OSS stores an object or a bucket's default (`x-oss-storage-class`, `StorageClass` in
/// CreateBucketConfiguration and in listings).
///
/// A struct rather than an enum because the set grows: OSS added `ColdArchive` and
/// `DeepColdArchive` years after the first three, and an SDK that fails to decode a listing
/// because of a class it does not know yet would fail its users for nothing. The server accepts
/// only the ``known`` classes (``isKnown``).
public struct OSSStorageClass: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// OSS's spelling, such as `Standard` or `IA`.
    public let rawValue: String

    /// A class by its OSS spelling, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// `Standard`: the default of every bucket and object.
    public static let standard: Self = "Standard"
    /// `IA`: infrequent access.
    public static let infrequentAccess: Self = "IA"
    /// `Archive`.
    public static let archive: Self = "Archive"
    /// `ColdArchive`.
    public static let coldArchive: Self = "ColdArchive"
    /// `DeepColdArchive`.
    public static let deepColdArchive: Self = "DeepColdArchive"

    /// The classes OSS documents today, which the server accepts.
    public static let known: [Self] = [.standard, .infrequentAccess, .archive, .coldArchive, .deepColdArchive]

    /// Whether this is one of the ``known`` classes (spelled exactly as OSS does).
    public var isKnown: Bool { Self.known.contains(self) }

    /// Whether objects of this class must be restored (RestoreObject) before they can be read:
    /// Archive, ColdArchive and DeepColdArchive.
    public var isArchive: Bool { self == .archive || self == .coldArchive || self == .deepColdArchive }

    public var description: String { rawValue }
}
