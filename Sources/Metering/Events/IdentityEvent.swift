/// Keystone's `identity.project.*` / `identity.user.*`. Keystone sends only the id (basic format:
/// `{"resource_info": id}`; CADF format adds `target.id`), the rest comes from the API on resync.
public struct IdentityEvent: Sendable, Hashable {
  public var action: ResourceAction
  public var id: String

  static func resourceID(_ p: PayloadFields) throws(NotificationError) -> String {
    if let id = try p.optionalString("resource_info") { return id }
    if let target = try p.fields("target"), let id = try target.optionalString("id") { return id }
    throw .missingField(eventType: p.eventType, field: "payload.resource_info")
  }
}
