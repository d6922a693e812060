/// The wildcards of policy actions, resources and `StringLike`, and of referer whitelists: `*`
/// matches any run of characters (`/` included), `?` any one character.
enum OSSPolicyPattern {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern.unicodeScalars), Array(text.unicodeScalars))
    }

    /// Case-insensitive, for action names (`oss:getobject` is `oss:GetObject`) and referers.
    static func matchesIgnoringCase(_ pattern: String, _ text: String) -> Bool {
        matches(pattern.lowercased(), text.lowercased())
    }

    /// Iterative wildcard matching with one backtrack point: linear in practice, never exponential.
    private static func matches(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0, t = 0
        var star: Int? = nil, resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
