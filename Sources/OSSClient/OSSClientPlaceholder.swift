// Replaced by the OSSClient implementation.
enum OSSClientPlaceholder {}
