import Foundation
import OSSProtocol

/// What a presigned PostObject form allows: uploads by anyone holding the form (typically a
/// browser), into one bucket, under one key or key prefix, until it expires.
///
/// The form is the upload counterpart of a presigned URL: the server signs a policy once, hands
/// the fields to a web page, and the browser posts the file straight to OSS without credentials.
/// Everything the policy does not pin down, the uploader chooses; pin down what matters.
public struct OSSPostFormRequest: Sendable {
    /// Which keys the form may write.
    public enum Key: Sendable, Hashable {
        /// Exactly this key.
        case exact(String)
        /// Any key starting with the prefix. The form's `key` field is the prefix followed by
        /// `${filename}` (the server puts the uploaded file's name there); a page may change it
        /// to any other key with the prefix.
        case prefix(String)
    }

    /// The bucket uploads go to.
    public var bucket: String
    /// The key or key prefix.
    public var key: Key
    /// How long the form stays usable; the server checks this when a post starts.
    public var expiresIn: Duration
    /// The sizes the file may have, in bytes; `nil` for any size OSS accepts. A browser form
    /// should always have one: without it anyone holding the form can fill the bucket.
    public var sizeRange: ClosedRange<Int64>?
    /// Fields the form carries with fixed values, each also required by the policy: content
    /// headers (`Content-Type`, …), `x-oss-meta-*`, `x-oss-object-acl`,
    /// `x-oss-forbid-overwrite`, `success_action_status`, `success_action_redirect`.
    public var fields: [String: String]
    /// Further policy conditions, for fields the uploader fills in (such as a `starts-with`
    /// on `Content-Type`).
    public var conditions: [OSSPostPolicy.Condition]
    /// The signature version; `nil` for the client's.
    public var signatureVersion: OSSSignatureVersion?

    /// Creates a request.
    public init(
        bucket: String, key: Key, expiresIn: Duration = .seconds(3600), sizeRange: ClosedRange<Int64>? = nil,
        fields: [String: String] = [:], conditions: [OSSPostPolicy.Condition] = [],
        signatureVersion: OSSSignatureVersion? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.expiresIn = expiresIn
        self.sizeRange = sizeRange
        self.fields = fields
        self.conditions = conditions
        self.signatureVersion = signatureVersion
    }
}

/// A signed PostObject form: post ``fields`` in this order, then the file as a last field named
/// `file`, as `multipart/form-data` to ``url``.
public struct OSSPostForm: Sendable, Hashable {
    /// One text field of the form.
    public struct Field: Sendable, Hashable {
        /// The field name.
        public var name: String
        /// The field value.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Where to post: the bucket's URL.
    public var url: String
    /// The text fields, policy and signature included, in form order.
    public var fields: [Field]
    /// When the policy stops being accepted.
    public var expiration: Date

    /// The value of a field, by exact name.
    public func value(of name: String) -> String? {
        fields.first { $0.name == name }?.value
    }
}

/// PostObject from this client: a form upload, CRC-checked like ``OSSClient/putObject(_:)``, with
/// the same inputs as a put (the options are sent as form fields).
///
/// Useful where a form upload is what the server side expects (an upload endpoint that only
/// accepts forms), and as the proof that forms produced by ``OSSClient/presignPostForm(_:)``
/// work end to end. For everything else, `putObject` is simpler and equally checked.
public typealias OSSPostObjectRequest = OSSPutObjectRequest
