//! build.rs: generate the netdev family from its YNL spec into OUT_DIR.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spec = "specs/netdev.yaml";
    println!("cargo:rerun-if-changed={spec}");
    let yaml = std::fs::read_to_string(spec)?;
    let options = netlink_ynl::Options::default().module_doc(false);
    let rust = netlink_ynl::generate(&yaml, &options)?;
    let out = std::path::Path::new(&std::env::var("OUT_DIR")?).join("netdev.rs");
    std::fs::write(out, rust)?;
    Ok(())
}
