/// Which protocol's flavour of a shared document is written: OSS's, or S3's, whose root element
/// names S3's namespace and whose object entries use S3's storage-class names and have no
/// OSS `Type`.
///
/// The S3 front end runs the same operations as OSS and so renders the same documents; it sets
/// the dialect for the task that answers a request, and every ``OSSXMLWriter`` made in that task
/// writes S3's flavour. Nothing else changes it, so OSS answers and clients are untouched.
package enum XMLDialect: Sendable, Hashable {
    case oss
    case s3

    /// The dialect of documents written by the current task.
    @TaskLocal package static var current: XMLDialect = .oss

    /// The namespace of every S3 response document.
    package static let s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
}
