// The SDK's public API returns and takes OSSProtocol's wire types (OSSError, OSSTagging,
// OSSListBucketResult, OSSCredentials …): one `import OSSClient` brings them along.
@_exported import OSSProtocol
