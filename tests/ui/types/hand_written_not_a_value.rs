// Outside the derive: asking for the attribute encoding of a type that has none names the type
// and says how to give it one.
use netlink_genl_core::attr::AttrWriter;
use netlink_genl_core::attr::NlaEncode;

fn main() {
    let mut buf = [0u8; 16];
    let mut w = AttrWriter::new(&mut buf);
    let _ = w.put_value(1, &1.5f32);
    fn needs_value<T: NlaEncode>() {}
    needs_value::<std::time::Duration>();
}
