//! The `tracing` feature: every message sent and received is a `DEBUG` event on target
//! `netlink` with structured fields (family, command, sequence number, flags), and each
//! datagram a `TRACE` event with the decoded attribute tree. Captured with a subscriber.
//!
//! One test only: a scoped subscriber and another test thread hitting the same callsites
//! without one race on `tracing`'s cached callsite interest.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use netlink_genl::GenlSocket;
use netlink_genl::ctrl::{Ctrl, Family};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

type Captured = Arc<Mutex<Vec<(Level, BTreeMap<String, String>)>>>;

/// A subscriber that keeps every `netlink` event's level and fields.
struct Capture(Captured);

struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "netlink"
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut f = Fields(BTreeMap::new());
        event.record(&mut f);
        self.0
            .lock()
            .unwrap()
            .push((*event.metadata().level(), f.0));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn every_message_is_a_structured_event() {
    let events: Captured = Arc::default();
    tracing::subscriber::with_default(Capture(events.clone()), || {
        let mut sock = GenlSocket::new().unwrap();
        let reply = sock
            .request(&Ctrl::GetFamily(Family::by_name("nlctrl")))
            .unwrap();
        assert_eq!(reply.into_family().id, Some(0x10));
        assert!(sock.family("no-such-family").is_err());
        // ethtool numbers a request and its reply alike (STRSET_GET, 1): each is named as
        // what it is.
        let names = example_families::ethtool::string_set(&mut sock, "lo", 4).unwrap();
        assert!(!names.is_empty());
    });
    let events = events.lock().unwrap();
    let debug: Vec<_> = events.iter().filter(|(l, _)| *l == Level::DEBUG).collect();
    let field = |e: &BTreeMap<String, String>, k: &str| e.get(k).cloned().unwrap_or_default();

    // The request, as sent: family and command by name, sequence number, flags.
    let sent = &debug[0].1;
    assert_eq!(field(sent, "direction"), "send");
    assert_eq!(field(sent, "kind"), "data");
    assert_eq!(field(sent, "family"), "nlctrl");
    assert_eq!(field(sent, "command"), "GetFamily");
    assert_eq!(field(sent, "cmd"), "3");
    assert_eq!(field(sent, "seq"), "1");
    assert_eq!(
        field(sent, "flags"),
        "REQUEST",
        "a declared reply: no ACK asked"
    );
    // Its reply.
    let reply = &debug[1].1;
    assert_eq!(field(reply, "direction"), "recv");
    assert_eq!(field(reply, "command"), "NewFamily");
    assert_eq!(field(reply, "seq"), "1");
    // The failed lookup: the kernel's error with its errno.
    let err = debug
        .iter()
        .map(|(_, e)| e)
        .find(|e| field(e, "kind") == "error")
        .expect("an error event");
    assert_eq!(field(err, "errno"), libc::ENOENT.to_string());
    assert_eq!(field(err, "seq"), "2");

    // A request and a reply that share a command number are named apart.
    let strset: Vec<_> = debug
        .iter()
        .map(|(_, e)| e)
        .filter(|e| field(e, "family") == "ethtool" && field(e, "kind") == "data")
        .map(|e| (field(e, "direction"), field(e, "command")))
        .collect();
    assert_eq!(
        strset,
        [
            ("send".to_owned(), "StrsetGet".to_owned()),
            ("recv".to_owned(), "StrsetGetReply".to_owned())
        ]
    );

    // At TRACE, each datagram's decoded tree.
    let trees: Vec<String> = events
        .iter()
        .filter(|(l, _)| *l == Level::TRACE)
        .map(|(_, e)| field(e, "tree"))
        .collect();
    assert!(
        trees.iter().any(|t| t.contains("name(2): \"nlctrl\"")),
        "{trees:?}"
    );
    assert!(
        trees.iter().any(|t| t.contains("mcast_groups(7) [N]")),
        "{trees:?}"
    );
    // The request's tree uses the request's set (`stringsets`), the reply's the reply's.
    let sent = trees
        .iter()
        .find(|t| t.contains("StrsetGet(1)") && t.contains("REQUEST"))
        .expect("the ethtool request's tree");
    assert!(sent.contains("stringsets(2) [N]"), "{sent}");
}
