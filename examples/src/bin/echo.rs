//! `echo`: the classic generic netlink howto's family, `gennl_ins`, served by a fake kernel in
//! this process (`netlink_genl::testing`), and a client that talks to it through the ordinary
//! socket. No root, no kernel module: it runs anywhere.
//!
//! ```text
//! echo [MESSAGE] [--count N]
//! ```
//!
//! The client resolves the family through the fake's controller, sends `ECHO` (a do: the
//! reply carries the message back), dumps `REPEAT` (the message `N` times, numbered), and
//! receives one notification on the family's `said` group.

use std::error::Error;
use std::process::ExitCode;

use clap::Parser;
use netlink_genl::testing::{Context, DumpOut, ErrorReply, FakeKernel, FamilySpec, Reply};
use netlink_genl::{Errno, GenlMessage, NlAttrs};

/// The `gennl_ins` attributes: `MSG` (1), a NUL-terminated string (`NLA_NUL_STRING`), and a
/// count for the dump.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct EchoAttrs {
    /// `DOC_EXMPL_A_MSG`.
    #[nla(id = 1)]
    msg: Option<String>,
    /// How many copies `REPEAT` yields; the number of a copy in its replies.
    #[nla(id = 2)]
    count: Option<u32>,
}

/// The family: `ECHO` (1) as in the howto, plus a dump and a notification.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "gennl_ins", version = 1)]
enum Gennl {
    /// `DOC_EXMPL_C_ECHO`: the kernel answers with the same message.
    #[genl(cmd = 1, reply = Echo)]
    Echo(EchoAttrs),
    /// A dump of `count` copies of `msg`.
    #[genl(cmd = 2)]
    Repeat(EchoAttrs),
    /// A notification on group `said`: what was echoed.
    #[genl(cmd = 3)]
    Said(EchoAttrs),
}

/// Echo a message through a fake generic netlink kernel (the howto's `gennl_ins` family).
#[derive(Debug, Parser)]
#[command(name = "echo", version)]
struct Cli {
    /// The message.
    #[arg(default_value = "hello, generic netlink")]
    message: String,
    /// How many copies the dump yields.
    #[arg(long, default_value_t = 3)]
    count: u32,
}

/// The provider side: `gennl_ins` on a fake kernel.
fn serve() -> Result<FakeKernel, Box<dyn Error>> {
    let fake = FakeKernel::new();
    let notifier = fake.clone();
    fake.register(
        FamilySpec::<Gennl>::new()
            .group("said")
            .on_do(1, move |_ctx: &Context<()>, req| {
                let Gennl::Echo(attrs) = req else {
                    return Err(ErrorReply::new(Errno::INVAL));
                };
                if attrs.msg.is_none() {
                    return Err(ErrorReply::new(Errno::INVAL)
                        .msg("a message is needed")
                        .missing(1));
                }
                // Tell the listeners, then answer.
                let _ = notifier.notify("said", &Gennl::Said(attrs.clone()));
                Ok(Reply::msg(Gennl::Echo(attrs)))
            })
            .on_dump(2, |_ctx, req, out: &mut DumpOut<Gennl>| {
                let Gennl::Repeat(attrs) = req else {
                    return Ok(());
                };
                for i in 0..attrs.count.unwrap_or(1) {
                    out.push(Gennl::Repeat(EchoAttrs {
                        msg: attrs.msg.clone(),
                        count: Some(i),
                    }));
                }
                Ok(())
            }),
    )?;
    Ok(fake)
}

fn run(cli: &Cli) -> Result<(), Box<dyn Error>> {
    let fake = serve()?;
    // The client side: an ordinary GenlSocket, as against the kernel.
    let mut sock = fake.connect()?;
    let family = sock.family("gennl_ins")?.clone();
    println!(
        "family {} id {} version {}, port {}",
        family.name,
        family.id,
        family.version,
        sock.socket().port_id()
    );
    let group = sock.join::<Gennl>("said")?;
    println!("joined group said ({group})");

    let attrs = EchoAttrs {
        msg: Some(cli.message.clone()),
        count: None,
    };
    match sock.request(&Gennl::Echo(attrs))? {
        Gennl::Echo(reply) => println!("echo: {}", reply.msg.unwrap_or_default()),
        other => println!("unexpected reply: {other:?}"),
    }

    let req = Gennl::Repeat(EchoAttrs {
        msg: Some(cli.message.clone()),
        count: Some(cli.count),
    });
    for reply in sock.dump(&req)? {
        if let Gennl::Repeat(r) = reply? {
            println!(
                "repeat #{}: {}",
                r.count.unwrap_or_default(),
                r.msg.unwrap_or_default()
            );
        }
    }

    let event = sock.recv_event::<Gennl>()?;
    if let Gennl::Said(said) = event.msg {
        println!(
            "event on group {}: said {:?}",
            event.group,
            said.msg.unwrap_or_default()
        );
    }

    // A request the family refuses: the kernel's error, typed.
    if let Err(e) = sock.request(&Gennl::Echo(EchoAttrs::default())) {
        println!("an empty echo: {e}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("echo: {e}");
            ExitCode::FAILURE
        }
    }
}
