//! The `genl` example (written with the socket API).
fn main() {}
