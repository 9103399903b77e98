//! Family resolution: a family's id, version, operations and groups, looked up by name through
//! nlctrl and cached.
//!
//! Family ids other than nlctrl's (0x10) are assigned when a family registers (at boot or module
//! load), so they are resolved by name, never hard-coded. [`FamilyCache`] remembers what it
//! resolved; [`GenlSocket`](crate::GenlSocket) holds one and fills it on first use.

use std::collections::HashMap;

use netlink_genl_core::{DecodeError, DecodeErrorKind};

use crate::ctrl::{Family, op_flags};

/// One operation: its command number and `GENL_*` flags ([`op_flags`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpInfo {
    /// The command number.
    pub cmd: u32,
    /// `GENL_ADMIN_PERM`, `GENL_CMD_CAP_DO`, ... ([`op_flags`]).
    pub flags: u32,
}

impl OpInfo {
    /// The operation has a do handler.
    pub fn can_do(&self) -> bool {
        self.flags & op_flags::CAP_DO != 0
    }
    /// The operation has a dump handler.
    pub fn can_dump(&self) -> bool {
        self.flags & op_flags::CAP_DUMP != 0
    }
}

/// One multicast group: its name and the group number to join.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupInfo {
    /// The group's name (e.g. `notify`, `mgmt`, `monitor`).
    pub name: String,
    /// The group number for `NETLINK_ADD_MEMBERSHIP`.
    pub id: u32,
}

/// What nlctrl reports about a family.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FamilyInfo {
    /// The family's name.
    pub name: String,
    /// The family id: the `nlmsg_type` of its messages.
    pub id: u16,
    /// The interface version.
    pub version: u32,
    /// The size of the fixed user header after the genl header.
    pub hdrsize: u32,
    /// The largest attribute id (0 when the family has per-operation policies).
    pub maxattr: u32,
    /// The operations, in the kernel's order.
    pub ops: Vec<OpInfo>,
    /// The multicast groups, in the kernel's order.
    pub groups: Vec<GroupInfo>,
}

impl FamilyInfo {
    /// The number of multicast group `name`.
    pub fn group_id(&self, name: &str) -> Option<u32> {
        self.groups.iter().find(|g| g.name == name).map(|g| g.id)
    }

    /// The name of multicast group number `id`.
    pub fn group_name(&self, id: u32) -> Option<&str> {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.as_str())
    }

    /// The operation for command `cmd`.
    pub fn op(&self, cmd: u32) -> Option<&OpInfo> {
        self.ops.iter().find(|o| o.cmd == cmd)
    }
}

impl TryFrom<Family> for FamilyInfo {
    type Error = DecodeError;

    /// Convert an nlctrl `NEWFAMILY` reply. The id and name must be present; missing numbers
    /// default to 0 as the kernel omits nothing in practice.
    fn try_from(f: Family) -> Result<Self, DecodeError> {
        let missing = |what: &'static str, id: u16| {
            DecodeError::new(DecodeErrorKind::MissingAttribute { id })
                .in_segment(netlink_genl_core::PathSegment::Field(what))
                .in_type("Family")
        };
        let id = f.id.ok_or_else(|| missing("id", 1))?;
        let name = f.name.ok_or_else(|| missing("name", 2))?;
        Ok(FamilyInfo {
            name,
            id,
            version: f.version.unwrap_or(0),
            hdrsize: f.hdrsize.unwrap_or(0),
            maxattr: f.maxattr.unwrap_or(0),
            ops: f
                .ops
                .iter()
                .map(|o| OpInfo {
                    cmd: o.id.unwrap_or(0),
                    flags: o.flags.unwrap_or(0),
                })
                .collect(),
            groups: f
                .mcast_groups
                .into_iter()
                .filter_map(|g| {
                    Some(GroupInfo {
                        name: g.name?,
                        id: g.id?,
                    })
                })
                .collect(),
        })
    }
}

/// Families resolved so far, by name and by id.
#[derive(Debug, Clone, Default)]
pub struct FamilyCache {
    by_name: HashMap<String, FamilyInfo>,
    names_by_id: HashMap<u16, String>,
}

impl FamilyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached family `name`.
    pub fn get(&self, name: &str) -> Option<&FamilyInfo> {
        self.by_name.get(name)
    }

    /// The cached family with id `id`.
    pub fn get_by_id(&self, id: u16) -> Option<&FamilyInfo> {
        self.names_by_id.get(&id).and_then(|n| self.by_name.get(n))
    }

    /// Remember `info` (replacing what was known under its name or id).
    pub fn insert(&mut self, info: FamilyInfo) -> &FamilyInfo {
        let stale_id = self
            .by_name
            .get(&info.name)
            .map(|old| old.id)
            .filter(|&id| id != info.id);
        if let Some(id) = stale_id {
            self.names_by_id.remove(&id);
        }
        let old_name = self.names_by_id.insert(info.id, info.name.clone());
        if let Some(old_name) = old_name.filter(|n| *n != info.name) {
            self.by_name.remove(&old_name);
        }
        let name = info.name.clone();
        self.by_name.entry(name).insert_entry(info).into_mut()
    }

    /// Forget family `name` (e.g. after its module was reloaded and its id changed).
    pub fn remove(&mut self, name: &str) -> Option<FamilyInfo> {
        let info = self.by_name.remove(name)?;
        self.names_by_id.remove(&info.id);
        Some(info)
    }

    /// Forget everything.
    pub fn clear(&mut self) {
        self.by_name.clear();
        self.names_by_id.clear();
    }

    /// The number of cached families.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Nothing cached.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The cached families, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &FamilyInfo> {
        self.by_name.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctrl::McastGroup;

    fn info(name: &str, id: u16) -> FamilyInfo {
        FamilyInfo {
            name: name.into(),
            id,
            version: 1,
            hdrsize: 0,
            maxattr: 0,
            ops: vec![],
            groups: vec![],
        }
    }

    #[test]
    fn cache_replaces_stale_ids() {
        let mut c = FamilyCache::new();
        c.insert(info("a", 20));
        c.insert(info("a", 21));
        assert_eq!(c.get("a").map(|f| f.id), Some(21));
        assert!(c.get_by_id(20).is_none());
        c.insert(info("b", 21));
        assert!(c.get("a").is_none());
        assert_eq!(c.get_by_id(21).map(|f| f.name.as_str()), Some("b"));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn conversion_needs_id_and_name() {
        let mut f = Family::by_name("x");
        assert!(FamilyInfo::try_from(f.clone()).is_err());
        f.id = Some(30);
        f.mcast_groups = vec![McastGroup {
            name: Some("events".into()),
            id: Some(9),
        }];
        let i = FamilyInfo::try_from(f).unwrap();
        assert_eq!((i.id, i.group_id("events")), (30, Some(9)));
    }
}
