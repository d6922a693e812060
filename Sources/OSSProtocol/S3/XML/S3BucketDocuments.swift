import Foundation

/// ListBuckets' answer in S3's form: the owner, then each bucket's name, creation date and region.
package struct S3ListAllMyBucketsResult: OSSXMLDocument {
    package struct Bucket: Sendable, Hashable {
        package var name: String
        package var creationDate: Date
        package var region: String

        package init(name: String, creationDate: Date, region: String) {
            self.name = name
            self.creationDate = creationDate
            self.region = region
        }
    }

    package var ownerID: String
    package var buckets: [Bucket]

    package init(ownerID: String, buckets: [Bucket]) {
        self.ownerID = ownerID
        self.buckets = buckets
    }

    package var xml: String {
        var writer = OSSXMLWriter()
        writer.element("ListAllMyBucketsResult") { writer in
            writer.element("Owner") { writer in
                writer.element("ID", ownerID)
                writer.element("DisplayName", ownerID)
            }
            writer.element("Buckets") { writer in
                for bucket in buckets {
                    writer.element("Bucket") { writer in
                        writer.element("Name", bucket.name)
                        writer.element("CreationDate", OSSDateFormat.iso8601(bucket.creationDate))
                        writer.element("BucketRegion", bucket.region)
                    }
                }
            }
        }
        return writer.output
    }
}

/// GetBucketLocation's answer: the region, as the root element's text.
package struct S3LocationConstraint: OSSXMLDocument {
    package var region: String

    package init(region: String) { self.region = region }

    package var xml: String {
        var writer = OSSXMLWriter()
        writer.open("LocationConstraint")
        writer.text(region)
        writer.close("LocationConstraint")
        return writer.output
    }
}

/// CreateBucket's optional body; its `LocationConstraint` is read, not acted on.
package struct S3CreateBucketConfiguration: Sendable {
    package var locationConstraint: String?

    /// - Throws: `MalformedXML` for a body that is not a `CreateBucketConfiguration` document.
    package init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "CreateBucketConfiguration")
        locationConstraint = root.text("LocationConstraint")
    }
}
