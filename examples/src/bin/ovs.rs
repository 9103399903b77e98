//! `ovs`: an Open vSwitch datapath client — create a datapath, add an internal vport, list
//! both, delete them — against a fake datapath provider served in this process
//! (`netlink_genl::testing`). No root, no `openvswitch` module: it runs anywhere.
//!
//! ```text
//! ovs [DATAPATH] [--port NAME]
//! ```
//!
//! The families are the kernel's `ovs_datapath` (version 2) and `ovs_vport` (version 1), with
//! their command and attribute numbers from `<linux/openvswitch.h>`, and `struct ovs_header
//! { int dp_ifindex; }` as the user header between the genl header and the attributes: the
//! client names the datapath a vport request is about by its ifindex there, and the provider
//! answers with the datapath's ifindex in it.

use std::error::Error;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use clap::Parser;
use netlink_genl::testing::{Context, DumpOut, ErrorReply, FakeKernel, FamilySpec, Reply};
use netlink_genl::{Errno, GenlMessage, GenlSocket, NlAttrs};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `struct ovs_header`: the datapath's ifindex (0: a request not about one datapath).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
#[repr(C)]
struct OvsHeader {
    dp_ifindex: i32,
}

/// `struct ovs_dp_stats` (`OVS_DP_ATTR_STATS`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
#[repr(C)]
struct DpStats {
    n_hit: u64,
    n_missed: u64,
    n_lost: u64,
    n_flows: u64,
}

/// `enum ovs_datapath_attr` (the ones this client uses).
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Datapath {
    /// `OVS_DP_ATTR_NAME`: the datapath's local port device.
    #[nla(id = 1)]
    name: Option<String>,
    /// `OVS_DP_ATTR_UPCALL_PID`: where upcalls go (0: nowhere).
    #[nla(id = 2)]
    upcall_pid: Option<u32>,
    /// `OVS_DP_ATTR_STATS`.
    #[nla(id = 3, fixed)]
    stats: Option<DpStats>,
    /// `OVS_DP_ATTR_USER_FEATURES`: `OVS_DP_F_*`.
    #[nla(id = 5)]
    user_features: Option<u32>,
}

/// `enum ovs_datapath_cmd`: each answered with a message of the same command.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "ovs_datapath", version = 2, header = OvsHeader)]
enum OvsDatapath {
    /// `OVS_DP_CMD_NEW`.
    #[genl(cmd = 1, reply = New)]
    New(Datapath),
    /// `OVS_DP_CMD_DEL`.
    #[genl(cmd = 2, reply = Del)]
    Del(Datapath),
    /// `OVS_DP_CMD_GET` (do and dump).
    #[genl(cmd = 3, reply = Get)]
    Get(Datapath),
}

/// `OVS_VPORT_TYPE_INTERNAL`: a network device implemented by the datapath.
const VPORT_TYPE_INTERNAL: u32 = 2;

/// `enum ovs_vport_attr` (the ones this client uses).
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Vport {
    /// `OVS_VPORT_ATTR_PORT_NO`.
    #[nla(id = 1)]
    port_no: Option<u32>,
    /// `OVS_VPORT_ATTR_TYPE`: `OVS_VPORT_TYPE_*`.
    #[nla(id = 2)]
    ty: Option<u32>,
    /// `OVS_VPORT_ATTR_NAME`.
    #[nla(id = 3)]
    name: Option<String>,
    /// `OVS_VPORT_ATTR_UPCALL_PID`: an array of u32 port ids.
    #[nla(id = 5)]
    upcall_pid: Option<Vec<u8>>,
    /// `OVS_VPORT_ATTR_IFINDEX`.
    #[nla(id = 8)]
    ifindex: Option<u32>,
}

/// `enum ovs_vport_cmd`.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "ovs_vport", version = 1, header = OvsHeader)]
enum OvsVport {
    /// `OVS_VPORT_CMD_NEW`.
    #[genl(cmd = 1, reply = New)]
    New(Vport),
    /// `OVS_VPORT_CMD_DEL`.
    #[genl(cmd = 2, reply = Del)]
    Del(Vport),
    /// `OVS_VPORT_CMD_GET` (do and dump).
    #[genl(cmd = 3, reply = Get)]
    Get(Vport),
}

/// Control an Open vSwitch datapath served by a fake kernel.
#[derive(Debug, Parser)]
#[command(name = "ovs", version)]
struct Cli {
    /// The datapath's name.
    #[arg(default_value = "ovs-system")]
    datapath: String,
    /// The internal vport to add.
    #[arg(long, default_value = "br0")]
    port: String,
}

// ---------------------------------------------------------------------------------------------
// The provider: what the openvswitch module keeps, in memory.

struct Dp {
    ifindex: i32,
    name: String,
    /// Port number, name, type, device ifindex. Port 0 is the datapath's local port.
    ports: Vec<(u32, String, u32, u32)>,
}

#[derive(Default)]
struct State {
    dps: Vec<Dp>,
    next_ifindex: u32,
}

type Shared = Arc<Mutex<State>>;

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, State> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

fn dp_info(dp: &Dp) -> Datapath {
    Datapath {
        name: Some(dp.name.clone()),
        upcall_pid: None,
        stats: Some(DpStats::default()),
        user_features: Some(0),
    }
}

fn vport_info(port: &(u32, String, u32, u32)) -> Vport {
    Vport {
        port_no: Some(port.0),
        ty: Some(port.2),
        name: Some(port.1.clone()),
        upcall_pid: Some(0u32.to_ne_bytes().to_vec()),
        ifindex: Some(port.3),
    }
}

/// The datapath a request is about: by the header's ifindex, else by name.
fn find<'a>(s: &'a mut State, hdr: &OvsHeader, name: Option<&str>) -> Option<&'a mut Dp> {
    s.dps.iter_mut().find(|d| {
        d.ifindex == hdr.dp_ifindex || (hdr.dp_ifindex == 0 && Some(d.name.as_str()) == name)
    })
}

fn serve() -> Result<FakeKernel, Box<dyn Error>> {
    let fake = FakeKernel::new();
    let state: Shared = Arc::new(Mutex::new(State {
        dps: Vec::new(),
        next_ifindex: 10,
    }));
    let (s1, s2, s3, s4) = (state.clone(), state.clone(), state.clone(), state.clone());
    fake.register(
        FamilySpec::<OvsDatapath>::new()
            .group("ovs_datapath")
            .admin(1)
            .admin(2)
            .on_do(1, move |_ctx: &Context<OvsHeader>, req| {
                let OvsDatapath::New(d) = req else {
                    return Err(Errno::INVAL.into());
                };
                let Some(name) = d.name else {
                    return Err(ErrorReply::new(Errno::INVAL).missing(1));
                };
                let mut s = lock(&s1);
                if s.dps.iter().any(|x| x.name == name) {
                    return Err(ErrorReply::new(Errno::EXIST).at_field("name"));
                }
                s.next_ifindex += 1;
                let ifindex = s.next_ifindex;
                let dp = Dp {
                    ifindex: i32::try_from(ifindex).unwrap_or(i32::MAX),
                    name: name.clone(),
                    ports: vec![(0, name, VPORT_TYPE_INTERNAL, ifindex)],
                };
                let reply = Reply::with_header(
                    OvsHeader {
                        dp_ifindex: dp.ifindex,
                    },
                    OvsDatapath::New(dp_info(&dp)),
                );
                s.dps.push(dp);
                Ok(reply)
            })
            .on_do(2, move |ctx, req| {
                let OvsDatapath::Del(d) = req else {
                    return Err(Errno::INVAL.into());
                };
                let mut s = lock(&s2);
                let ifindex = find(&mut s, &ctx.header, d.name.as_deref())
                    .map(|dp| dp.ifindex)
                    .ok_or_else(|| ErrorReply::new(Errno::NODEV))?;
                let pos = s.dps.iter().position(|x| x.ifindex == ifindex);
                let dp = pos.map(|i| s.dps.remove(i)).ok_or(Errno::NODEV)?;
                Ok(Reply::with_header(
                    OvsHeader {
                        dp_ifindex: ifindex,
                    },
                    OvsDatapath::Del(dp_info(&dp)),
                ))
            })
            .on_dump(3, move |_ctx, _req, out: &mut DumpOut<OvsDatapath>| {
                for dp in &lock(&s3).dps {
                    out.push_with_header(
                        OvsHeader {
                            dp_ifindex: dp.ifindex,
                        },
                        OvsDatapath::Get(dp_info(dp)),
                    );
                }
                Ok(())
            }),
    )?;
    let (v1, v2, v3) = (s4.clone(), s4.clone(), s4);
    fake.register(
        FamilySpec::<OvsVport>::new()
            .group("ovs_vport")
            .admin(1)
            .admin(2)
            .on_do(1, move |ctx, req| {
                let OvsVport::New(v) = req else {
                    return Err(Errno::INVAL.into());
                };
                let (Some(name), Some(ty)) = (v.name, v.ty) else {
                    return Err(ErrorReply::new(Errno::INVAL).missing(3));
                };
                let mut s = lock(&v1);
                s.next_ifindex += 1;
                let ifindex = s.next_ifindex;
                let dp = find(&mut s, &ctx.header, None).ok_or(Errno::NODEV)?;
                if dp.ports.iter().any(|p| p.1 == name) {
                    return Err(ErrorReply::new(Errno::EXIST).at_field("name"));
                }
                let port_no = v
                    .port_no
                    .unwrap_or_else(|| dp.ports.iter().map(|p| p.0 + 1).max().unwrap_or(1));
                let port = (port_no, name, ty, ifindex);
                let reply = Reply::with_header(ctx.header, OvsVport::New(vport_info(&port)));
                dp.ports.push(port);
                Ok(reply)
            })
            .on_do(2, move |ctx, req| {
                let OvsVport::Del(v) = req else {
                    return Err(Errno::INVAL.into());
                };
                let mut s = lock(&v2);
                let dp = find(&mut s, &ctx.header, None).ok_or(Errno::NODEV)?;
                let pos = dp
                    .ports
                    .iter()
                    .position(|p| Some(&p.1) == v.name.as_ref() && p.0 != 0)
                    .ok_or_else(|| ErrorReply::new(Errno::NODEV).at_field("name"))?;
                let port = dp.ports.remove(pos);
                Ok(Reply::with_header(
                    ctx.header,
                    OvsVport::Del(vport_info(&port)),
                ))
            })
            .on_dump(3, move |ctx, _req, out: &mut DumpOut<OvsVport>| {
                let mut s = lock(&v3);
                if let Some(dp) = find(&mut s, &ctx.header, None) {
                    for p in &dp.ports {
                        out.push_with_header(ctx.header, OvsVport::Get(vport_info(p)));
                    }
                }
                Ok(())
            }),
    )?;
    Ok(fake)
}

// ---------------------------------------------------------------------------------------------
// The client: an ordinary GenlSocket, as against the kernel.

/// Send `msg` with user header `hdr`; the reply's header and message.
fn request<T>(
    sock: &mut GenlSocket,
    hdr: OvsHeader,
    msg: &T,
) -> Result<(OvsHeader, T), Box<dyn Error>>
where
    T: GenlMessage<Header = OvsHeader> + netlink_genl::GenlDecodeOwned,
{
    let req = sock.prepare(msg)?.with_header(hdr);
    let mut out = None;
    sock.request_view(&req, |v| {
        out = Some((v.user_header::<OvsHeader>()?, v.decode::<T>()?));
        Ok(())
    })?;
    out.ok_or_else(|| "no reply".into())
}

/// Dump `msg` with user header `hdr`.
fn dump<T>(
    sock: &mut GenlSocket,
    hdr: OvsHeader,
    msg: &T,
) -> Result<Vec<(OvsHeader, T)>, Box<dyn Error>>
where
    T: GenlMessage<Header = OvsHeader> + netlink_genl::GenlDecodeOwned,
{
    let req = sock.prepare(msg)?.with_header(hdr);
    let mut out = Vec::new();
    sock.dump_view(&req, |v| {
        out.push((v.user_header::<OvsHeader>()?, v.decode::<T>()?));
        Ok(())
    })?;
    Ok(out)
}

fn type_name(ty: Option<u32>) -> &'static str {
    match ty {
        Some(1) => "netdev",
        Some(VPORT_TYPE_INTERNAL) => "internal",
        Some(3) => "gre",
        Some(4) => "vxlan",
        Some(5) => "geneve",
        _ => "unknown",
    }
}

fn list(sock: &mut GenlSocket) -> Result<(), Box<dyn Error>> {
    let dps = dump(
        sock,
        OvsHeader::default(),
        &OvsDatapath::Get(Datapath::default()),
    )?;
    if dps.is_empty() {
        println!("no datapaths");
    }
    for (hdr, dp) in dps {
        let OvsDatapath::Get(dp) = dp else { continue };
        let stats = dp.stats.unwrap_or_default();
        println!(
            "datapath {} ifindex {}: hit {} missed {} lost {} flows {}",
            dp.name.unwrap_or_default(),
            hdr.dp_ifindex,
            stats.n_hit,
            stats.n_missed,
            stats.n_lost,
            stats.n_flows
        );
        for (_, v) in dump(sock, hdr, &OvsVport::Get(Vport::default()))? {
            let OvsVport::Get(v) = v else { continue };
            println!(
                "  port {}: {} ({})",
                v.port_no.unwrap_or_default(),
                v.name.unwrap_or_default(),
                type_name(v.ty)
            );
        }
    }
    Ok(())
}

fn run(cli: &Cli) -> Result<(), Box<dyn Error>> {
    let fake = serve()?;
    let mut sock = fake.connect()?;
    for name in ["ovs_datapath", "ovs_vport"] {
        let f = sock.family(name)?;
        println!("family {} id {} version {}", f.name, f.id, f.version);
    }

    // Create the datapath: the reply's header carries its ifindex.
    let new = OvsDatapath::New(Datapath {
        name: Some(cli.datapath.clone()),
        upcall_pid: Some(0),
        user_features: Some(0),
        ..Datapath::default()
    });
    let (dp, _) = request(&mut sock, OvsHeader::default(), &new)?;
    println!(
        "created datapath {} ifindex {}",
        cli.datapath, dp.dp_ifindex
    );
    // Creating it again: the provider's error, blamed on the name.
    if let Err(e) = request(&mut sock, OvsHeader::default(), &new) {
        println!("again: {e}");
    }

    // Add an internal vport to it, naming the datapath in the header.
    let port = OvsVport::New(Vport {
        name: Some(cli.port.clone()),
        ty: Some(VPORT_TYPE_INTERNAL),
        upcall_pid: Some(0u32.to_ne_bytes().to_vec()),
        ..Vport::default()
    });
    if let (_, OvsVport::New(v)) = request(&mut sock, dp, &port)? {
        println!(
            "added vport {} port {} ({})",
            v.name.unwrap_or_default(),
            v.port_no.unwrap_or_default(),
            type_name(v.ty)
        );
    }

    list(&mut sock)?;

    // Delete the vport, then the datapath.
    let del = OvsVport::Del(Vport {
        name: Some(cli.port.clone()),
        ..Vport::default()
    });
    request(&mut sock, dp, &del)?;
    println!("deleted vport {}", cli.port);
    request(&mut sock, dp, &OvsDatapath::Del(Datapath::default()))?;
    println!("deleted datapath {}", cli.datapath);
    list(&mut sock)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ovs: {e}");
            ExitCode::FAILURE
        }
    }
}
