import Foundation

/// The optional body of PutBucket:
/// `<CreateBucketConfiguration><StorageClass/>[<DataRedundancyType/>]</CreateBucketConfiguration>`.
///
/// oss2 may send no body at all; the server should only parse a non-empty body.
public struct OSSCreateBucketConfiguration: Sendable, Hashable {
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`, if given.
    public var storageClass: OSSStorageClass?
    /// `LRS` or `ZRS`, if given.
    public var dataRedundancyType: String?

    /// Creates a configuration.
    public init(storageClass: OSSStorageClass? = nil, dataRedundancyType: String? = nil) {
        self.storageClass = storageClass
        self.dataRedundancyType = dataRedundancyType
    }

    /// Reads a `<CreateBucketConfiguration>` body.
    ///
    /// - Throws: `MalformedXML` for an empty or malformed document or another root.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        var reader = Reader()
        try XMLEventReader.read(body, root: "CreateBucketConfiguration", into: &reader)
        self = reader.configuration
    }

    /// The request document, as a client sends it.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("CreateBucketConfiguration") { writer in
            writer.element("StorageClass", ifPresent: storageClass?.rawValue)
            writer.element("DataRedundancyType", ifPresent: dataRedundancyType)
        }
        return writer.output
    }

    private struct Reader: XMLEventHandler {
        var configuration = OSSCreateBucketConfiguration()

        mutating func didStart(_ path: [String]) throws(OSSError) {}

        mutating func didEnd(_ path: [String], text: String) throws(OSSError) {
            guard path.count == 2 else { return }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch path[1] {
            case "StorageClass": configuration.storageClass = OSSStorageClass(rawValue: value)
            case "DataRedundancyType": configuration.dataRedundancyType = value
            default: break
            }
        }
    }
}
