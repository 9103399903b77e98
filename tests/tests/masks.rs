//! Masks: `#[nla(mask = ..)]` on an unsigned integer (`NLA_POLICY_MASK`) and on a
//! `BitField32` (its valid bits, `NLA_POLICY_BITFIELD32`), and flags types (whose definition
//! is their mask). Recorded in the schema, checked before sending (`Schema::validate`),
//! advertised by the fake kernel's `GETPOLICY` and enforced as `lib/nlattr.c` does, through
//! both sockets.

use netlink_genl::netlink_genl_core::attr::BitField32;
use netlink_genl::netlink_genl_core::attrs_to_vec;
use netlink_genl::netlink_genl_core::schema::{AttrInfo, AttrKind, Checks, EnumInfo};
use netlink_genl::testing::{FakeKernel, FamilySpec, Reply};
use netlink_genl::{AttrSet, Error, GenlMessage, NlAttrs};

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Reload {
    #[nla(id = 1, mask = 0x6)]
    actions: Option<u32>,
    #[nla(id = 2, mask = 0x3)]
    limits: Option<BitField32>,
    #[nla(id = 3)]
    any: Option<BitField32>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "masks")]
enum Masks {
    #[genl(cmd = 1, ack, do)]
    Set(Reload),
}

/// The client's view: the same ids as raw bytes, to send what the typed fields would not.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Raw {
    #[nla(id = 1)]
    actions: Option<u32>,
    #[nla(id = 2)]
    limits: Option<Vec<u8>>,
    #[nla(id = 3)]
    any: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "masks")]
enum RawMasks {
    #[genl(cmd = 1, ack)]
    Set(Raw),
}

fn bf(value: u32, selector: u32) -> Vec<u8> {
    let mut v = value.to_ne_bytes().to_vec();
    v.extend(selector.to_ne_bytes());
    v
}

fn cases() -> Vec<(&'static str, Raw)> {
    let r = |actions, limits, any| Raw {
        actions,
        limits,
        any,
    };
    vec![
        ("actions 0x6", r(Some(0x6), None, None)),
        ("actions 0x1", r(Some(0x1), None, None)),
        ("limits 1/3", r(None, Some(bf(1, 3)), None)),
        ("limits 4/4", r(None, Some(bf(4, 4)), None)),
        ("limits 1/0", r(None, Some(bf(1, 0)), None)),
        ("limits of 6 bytes", r(None, Some(vec![0; 6]), None)),
        (
            "any 0x8000_0000/all",
            r(None, None, Some(bf(1 << 31, u32::MAX))),
        ),
    ]
}

fn shown(r: Result<(), Error>) -> String {
    match r {
        Ok(()) => "ok".to_owned(),
        Err(Error::Kernel(k)) => format!(
            "{} {} at {} ({})",
            k.errno_name().unwrap_or("?"),
            k.msg.as_deref().unwrap_or("-"),
            k.attr_path
                .as_ref()
                .map_or("-".to_owned(), ToString::to_string),
            k.policy.map_or("-".to_owned(), |p| p.to_string())
        ),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn masks_are_recorded_and_checked_before_sending() {
    let s = Reload::schema();
    assert_eq!(s.attr(1).unwrap().checks, Checks::NONE.mask(6));
    assert_eq!(s.attr(2).unwrap().checks, Checks::NONE.mask(3));
    let check = |r: Reload| {
        s.validate(&attrs_to_vec(&r).unwrap())
            .map_err(|e| e.to_string())
    };
    assert!(
        check(Reload {
            actions: Some(4),
            limits: Some(BitField32 {
                value: 1,
                selector: 3
            }),
            any: Some(BitField32 {
                value: 1 << 31,
                selector: u32::MAX
            }),
        })
        .is_ok()
    );
    assert_eq!(
        check(Reload {
            actions: Some(9),
            ..Reload::default()
        }),
        Err("Reload.actions: value 0x9 has bits outside mask 0x6 (at byte 4)".to_owned())
    );
    assert_eq!(
        check(Reload {
            limits: Some(BitField32 {
                value: 0,
                selector: 4
            }),
            ..Reload::default()
        }),
        Err("Reload.limits: value 0x4 has bits outside mask 0x3 (at byte 4)".to_owned())
    );
    // Flags bound their attribute by their own bits; a declared mask wins.
    static CAPS: EnumInfo = EnumInfo::flags("caps", &AttrKind::U32, &[("a", 1), ("b", 8)]);
    let flags = AttrInfo::new(1, "caps", AttrKind::Enum(&CAPS));
    assert_eq!(flags.policy_checks().mask, Some(9));
    assert_eq!(
        flags.checks(Checks::NONE.mask(1)).policy_checks().mask,
        Some(1)
    );
}

#[test]
fn masks_are_advertised_and_enforced_like_the_kernel_sync_and_async() {
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Masks>::new().on_do(1, |_, _| Ok(Reply::ack())))
        .unwrap();
    let mut sock = fake.connect().unwrap();
    let p = sock.policy("masks", Some(1)).unwrap();
    let idx = p.ops[&1].do_policy.unwrap();
    let lines: Vec<String> = p
        .policy(idx)
        .unwrap()
        .iter()
        .map(|(id, a)| format!("{id}: {a}"))
        .collect();
    assert_eq!(
        lines,
        [
            "1: u32 mask 0x6",
            "2: bitfield32 mask 0x3",
            "3: bitfield32 mask 0xffffffff",
        ]
    );
    let sync: Vec<String> = cases()
        .into_iter()
        .map(|(what, r)| format!("{what}: {}", shown(sock.ack(&RawMasks::Set(r)))))
        .collect();
    let r#async: Vec<String> = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut sock = fake.connect_async().unwrap();
            let mut out = Vec::new();
            for (what, r) in cases() {
                out.push(format!(
                    "{what}: {}",
                    shown(sock.ack(&RawMasks::Set(r)).await)
                ));
            }
            out
        });
    assert_eq!(sync, r#async);
    // nla_validate_mask: EINVAL "reserved bit set", at the attribute, no policy. NLA_BITFIELD32:
    // not 8 bytes ERANGE, a bit outside the valid ones or a value bit not selected EINVAL, both
    // "Attribute failed policy validation" with the policy.
    let bits = "bitfield32 mask 0x3";
    assert_eq!(
        sync,
        [
            "actions 0x6: ok".to_owned(),
            "actions 0x1: EINVAL reserved bit set at Set.actions (-)".to_owned(),
            "limits 1/3: ok".to_owned(),
            format!("limits 4/4: EINVAL Attribute failed policy validation at Set.limits ({bits})"),
            format!("limits 1/0: EINVAL Attribute failed policy validation at Set.limits ({bits})"),
            format!(
                "limits of 6 bytes: ERANGE Attribute failed policy validation at Set.limits ({bits})"
            ),
            "any 0x8000_0000/all: ok".to_owned(),
        ]
    );
}

#[test]
fn check_schema_compares_bitfield32_masks() {
    // The type served is the kernel; a client type that may set more bits is told so.
    #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
    struct Wider {
        #[nla(id = 1, mask = 0x6)]
        actions: Option<u32>,
        #[nla(id = 2)]
        limits: Option<BitField32>,
        #[nla(id = 3)]
        any: Option<BitField32>,
    }
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "masks")]
    enum WiderMasks {
        #[genl(cmd = 1, ack, do)]
        Set(Wider),
    }
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Masks>::new().on_do(1, |_, _| Ok(Reply::ack())))
        .unwrap();
    let mut sock = fake.connect().unwrap();
    assert!(sock.check_schema::<Masks>().unwrap().findings.is_empty());
    let r = sock.check_schema::<WiderMasks>().unwrap();
    let found: Vec<String> = r
        .findings
        .iter()
        .map(|f| format!("{} {} {}: {}", f.severity, f.kind.name(), f.path, f.message))
        .collect();
    assert_eq!(
        found,
        [
            "warning bounds Set.do.request.limits: the kernel's bitfield32 accepts only the bits of \
          0x3, the field's 0xffffffff (declare mask = 0x3)"
        ]
    );
}
