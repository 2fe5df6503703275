/// Each team's webhook signing secrets. A team gets one on first use; a rotation adds a new one and keeps the old
/// one signing beside it for `overlap` (24 h), so that receivers can switch without losing a message. The store
/// keeps them (`WebhookStore.secret(for:rotate:at:)`).
package enum WebhookSecrets {
    package static let overlapMilliseconds: Int64 = 24 * 3600 * 1000
}
