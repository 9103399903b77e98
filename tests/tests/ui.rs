//! Compile tests of the derives (trybuild): programs that must compile (`ui/pass`) and
//! mistakes that must be compile errors with a span and a fix hint (`ui/<category>`), each
//! checked against its reviewed `.stderr`. Regenerate with `TRYBUILD=overwrite` on the pinned
//! toolchain only, then review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    for category in ["options", "ids", "conflicts", "types", "container", "genl"] {
        t.compile_fail(format!("ui/{category}/*.rs"));
    }
}
