import StewardServer

/// esi-leap's policy rules and names, so an operator's esi-leap policy file works here. The role rules also
/// accept Keystone's default `member`/`reader` roles: whether a member may offer a node is then decided by
/// who owns the node (Ironic's `owner`), as in esi-leap's resource check.
public enum LeasingPolicy {
  public static let defaults: [String: String] = [
    "is_admin": "role:admin or role:esi_leap_admin",
    "is_owner": "role:owner or role:esi_leap_owner or role:member",
    "is_lessee": "role:lessee or role:esi_leap_lessee or role:member or role:reader",
    "is_offer_owner": "project_id:%(offer.project_id)s",
    "is_lease_owner": "project_id:%(lease.owner_id)s",
    "is_lease_lessee": "project_id:%(lease.project_id)s",
    "esi_leap:lease:lease_admin": "rule:is_admin",
    "esi_leap:lease:create": "rule:is_admin or rule:is_owner",
    "esi_leap:lease:get": "rule:is_admin or rule:is_lease_owner or rule:is_lease_lessee",
    "esi_leap:lease:get_all": "rule:is_admin or rule:is_owner or rule:is_lessee",
    "esi_leap:lease:delete": "rule:is_admin or rule:is_lease_owner or rule:is_lease_lessee",
    "esi_leap:offer:offer_admin": "rule:is_admin",
    "esi_leap:offer:create": "rule:is_admin or rule:is_owner",
    "esi_leap:offer:get": "rule:is_admin or rule:is_owner or rule:is_lessee",
    "esi_leap:offer:get_all": "rule:is_admin or rule:is_owner or rule:is_lessee",
    "esi_leap:offer:delete": "rule:is_admin or rule:is_offer_owner",
    "esi_leap:offer:claim": "rule:is_admin or rule:is_owner or rule:is_lessee",
    "esi_leap:node:get_all": "rule:is_admin or rule:is_owner or rule:is_lessee",
  ]
}
