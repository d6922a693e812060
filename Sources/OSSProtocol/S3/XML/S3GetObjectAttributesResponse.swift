import Foundation

/// GetObjectAttributes' answer: the attributes the client listed in `x-amz-object-attributes`,
/// the object's checksum among them, read without its bytes.
package struct S3GetObjectAttributesResponse: OSSXMLDocument {
    /// The attribute names S3 defines.
    package enum Attribute: String, CaseIterable, Sendable {
        case etag = "ETag", checksum = "Checksum", objectParts = "ObjectParts", storageClass = "StorageClass"
        case objectSize = "ObjectSize"
    }

    package var attributes: Set<Attribute>
    /// The ETag without its quotes, as S3 writes it here.
    package var etag: String
    package var checksum: (algorithm: S3ChecksumAlgorithm, value: String, type: S3ChecksumType)?
    /// The number of parts of a multipart object; `nil` for others.
    package var partCount: Int?
    package var storageClass: String
    package var size: Int

    package init(
        attributes: Set<Attribute>, etag: String, checksum: (algorithm: S3ChecksumAlgorithm, value: String, type: S3ChecksumType)?,
        partCount: Int?, storageClass: String, size: Int
    ) {
        self.attributes = attributes
        self.etag = etag
        self.checksum = checksum
        self.partCount = partCount
        self.storageClass = storageClass
        self.size = size
    }

    /// Reads `x-amz-object-attributes`: a comma-separated list of ``Attribute`` names.
    ///
    /// - Throws: `InvalidArgument` for an empty list or an unknown name.
    package static func attributes(header: String?) throws(OSSError) -> Set<Attribute> {
        let names = (header ?? "").split(separator: ",").map { $0.trimmingHTTPWhitespace() }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw S3Errors.invalidArgument(
                "x-amz-object-attributes must list at least one of ETag, Checksum, ObjectParts, StorageClass, ObjectSize.",
                name: "x-amz-object-attributes", value: header ?? "")
        }
        var attributes: Set<Attribute> = []
        for name in names {
            guard let attribute = Attribute(rawValue: name) else {
                throw S3Errors.invalidArgument("Invalid attribute name specified.", name: "x-amz-object-attributes", value: name)
            }
            attributes.insert(attribute)
        }
        return attributes
    }

    package var xml: String {
        var writer = OSSXMLWriter()
        writer.element("GetObjectAttributesResponse") { writer in
            if attributes.contains(.etag) { writer.element("ETag", etag) }
            if attributes.contains(.checksum), let checksum {
                writer.element("Checksum") { writer in
                    writer.element("Checksum" + checksum.algorithm.rawValue, checksum.value)
                    writer.element("ChecksumType", checksum.type.rawValue)
                }
            }
            if attributes.contains(.objectParts), let partCount {
                writer.element("ObjectParts") { writer in
                    writer.element("PartsCount", partCount)
                }
            }
            if attributes.contains(.storageClass) { writer.element("StorageClass", storageClass) }
            if attributes.contains(.objectSize) { writer.element("ObjectSize", size) }
        }
        return writer.output
    }
}
