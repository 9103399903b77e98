//! What the example programs share besides the families: writing to stdout so that a closed
//! pipe (`genl list | head -1`) ends the program quietly with status 0, `--json` output, errors
//! with status 1, and arguments that name a device or a family either by name or by number.
//!
//! Rust ignores `SIGPIPE`, so a write to a closed pipe fails with `EPIPE` and `println!` panics
//! on it; the programs write through [`out`] instead.
//!
//! ```
//! use example_families::cli;
//! assert_eq!(cli::number("0x10"), Some(16));
//! assert_eq!(cli::number("16"), Some(16));
//! assert_eq!(cli::number("nlctrl"), None);
//! assert_eq!(cli::ifindex_of("lo"), Some(1));
//! assert_eq!(cli::ifindex_of("1"), Some(1));
//! assert_eq!(cli::ifname_of("1").as_deref(), Some("lo"));
//! ```

use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;

use crate::netdev::{if_index, if_name};

/// Write `text` to stdout and flush it (so that events show up at once in a pipe too). A
/// closed pipe ends the program with status 0 and no message, as the C tools do when `SIGPIPE`
/// kills them; any other write error ends it with status 1 and the error on stderr.
pub fn out(text: &str) {
    let mut o = io::stdout().lock();
    if let Err(e) = o.write_all(text.as_bytes()).and_then(|()| o.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        // A failing stderr has nowhere left to report to.
        let _ = writeln!(io::stderr(), "{}: writing output: {e}", program());
        std::process::exit(1);
    }
}

/// Write `value` as one line of JSON (compact, like `ip -j`) through [`out`].
pub fn json<T: serde::Serialize + ?Sized>(value: &T) {
    match serde_json::to_string(value) {
        Ok(mut s) => {
            s.push('\n');
            out(&s);
        }
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}: JSON output: {e}", program());
            std::process::exit(1);
        }
    }
}

/// Parse the command line with clap: `--help` and `--version` print to stdout and exit 0; a
/// bad argument exits 2 with the error and a usage line on stderr (clap leaves the usage out of
/// some errors, such as a value that does not parse).
pub fn parse<P: clap::Parser>() -> P {
    match P::try_parse() {
        Ok(p) => p,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let text = e.render().to_string();
            if text.contains("Usage:") {
                e.exit();
            }
            let usage = P::command().render_usage().to_string();
            let _ = write!(
                io::stderr(),
                "{}
{usage}
",
                text.trim_end()
            );
            std::process::exit(2);
        }
    }
}

/// The program's name (the file name it was started as).
pub fn program() -> String {
    std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "example".to_owned())
}

/// The exit status of a program run: `Ok` is 0; an error is printed on stderr after the
/// program's name and gives 1 (clap gives 2 for usage errors).
pub fn finish<E: Display>(r: Result<(), E>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}: {e}", program());
            ExitCode::FAILURE
        }
    }
}

/// A number as iproute2 reads ids: decimal, or hexadecimal after `0x`.
pub fn number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The interface index of `dev`, given as an interface name or as an index (a name wins: Linux
/// allows names of digits), in the calling thread's network namespace; `None` when no such
/// device exists.
pub fn ifindex_of(dev: &str) -> Option<u32> {
    if_index(dev).or_else(|| dev.parse().ok().filter(|&i| if_name(i).is_some()))
}

/// The interface name of `dev`, given as a name or an index (as [`ifindex_of`]); `None` when no
/// such device exists.
pub fn ifname_of(dev: &str) -> Option<String> {
    match if_index(dev) {
        Some(_) => Some(dev.to_owned()),
        None => dev.parse().ok().and_then(if_name),
    }
}
