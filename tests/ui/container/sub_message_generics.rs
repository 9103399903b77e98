// A sub-message has at most one lifetime (the buffer's) and no type parameters.
use netlink_genl::NlSubMessage;

#[derive(NlSubMessage)]
enum Data<T> {
    #[nla(unknown)]
    Other(T),
}

fn main() {}
