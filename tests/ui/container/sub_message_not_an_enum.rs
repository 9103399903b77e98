// Sub-messages are enums; `deny_unknown` has no meaning on one (the fallback keeps them).
use netlink_genl::NlSubMessage;

#[derive(NlSubMessage)]
struct Data {
    bytes: Vec<u8>,
}

#[derive(NlSubMessage)]
#[nla(deny_unknown)]
enum Other {
    #[nla(unknown)]
    Bytes(Vec<u8>),
}

fn main() {}
