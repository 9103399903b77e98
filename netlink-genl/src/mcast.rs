//! Multicast groups: resolving a family's group by name to the number the socket joins.
//!
//! Group numbers, like family ids, are assigned at registration; nlctrl lists them with each
//! family ([`FamilyInfo::groups`](crate::family::FamilyInfo::groups)). Resolution goes through
//! the socket's family cache; a group the cache does not know triggers one refresh of the
//! family (it may have been re-registered with more groups) before giving up.
//!
//! ```
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! let id = netlink_genl::mcast::resolve_group(&mut sock, "nlctrl", "notify")?;
//! assert_eq!(id, 0x10);
//! // An unknown group name is an `Error::Group` that names it and the groups that exist.
//! let err = netlink_genl::mcast::resolve_group(&mut sock, "nlctrl", "nope").unwrap_err();
//! assert_eq!(err.to_string(), r#"family nlctrl has no multicast group "nope" (it has: notify)"#);
//! # Ok::<(), netlink_genl::Error>(())
//! ```

use netlink_genl_core::Error;

use crate::GenlSocket;

/// The number of multicast group `group` of family `family`.
pub fn resolve_group(sock: &mut GenlSocket, family: &str, group: &str) -> Result<u32, Error> {
    sock.resolve_group(family, group)
}

/// The name of group number `id` of family `family`, if the family has it.
pub fn group_name(sock: &mut GenlSocket, family: &str, id: u32) -> Result<Option<String>, Error> {
    Ok(sock.family(family)?.group_name(id).map(str::to_owned))
}
