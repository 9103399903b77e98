//! How `genl list` and `genl get` print a family: the layout of iproute2's `genl ctrl list`,
//! except that operation flags ("Capabilities") are printed for every family (iproute2 6.1 only
//! prints them for families of version 2 or more).

use std::fmt::Write;

use netlink_genl::FamilyInfo;
use netlink_genl::ctrl::op_flags;

/// One family as `genl ctrl list` lays it out, ending with an empty line.
///
/// ```
/// use netlink_genl::{FamilyInfo, GroupInfo, OpInfo};
/// let f = FamilyInfo {
///     name: "nlctrl".into(), id: 0x10, version: 2, hdrsize: 0, maxattr: 0,
///     ops: vec![OpInfo { cmd: 3, flags: 0xe }],
///     groups: vec![GroupInfo { name: "notify".into(), id: 0x10 }],
/// };
/// let text = examples::genl_text::family(&f);
/// assert!(text.starts_with("Name: nlctrl\n\tID: 0x10  Version: 0x2  header size: 0  max attribs: 0\n"));
/// assert!(text.contains("\t\t#1:  ID-0x3  Capabilities (0xe): can doit; can dumpit; has policy\n"));
/// assert!(text.contains("\t\t#1:  ID-0x10  name: notify\n"));
/// ```
pub fn family(f: &FamilyInfo) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(s, "Name: {}", f.name);
    let _ = writeln!(
        s,
        "\tID: {:#x}  Version: {:#x}  header size: {}  max attribs: {}",
        f.id, f.version, f.hdrsize, f.maxattr
    );
    if !f.ops.is_empty() {
        let _ = writeln!(s, "\tcommands supported:");
        for (i, op) in f.ops.iter().enumerate() {
            let flags = op_flags::describe(op.flags);
            let flags = if flags.is_empty() {
                "none".to_owned()
            } else {
                flags.join("; ")
            };
            let _ = writeln!(
                s,
                "\t\t#{}:  ID-{:#x}  Capabilities ({:#x}): {flags}",
                i + 1,
                op.cmd,
                op.flags
            );
        }
    }
    if !f.groups.is_empty() {
        let _ = writeln!(s, "\tmulticast groups:");
        for (i, g) in f.groups.iter().enumerate() {
            let _ = writeln!(s, "\t\t#{}:  ID-{:#x}  name: {}", i + 1, g.id, g.name);
        }
    }
    s.push('\n');
    s
}
