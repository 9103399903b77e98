//! The clock the benches measure with (shared by the bench targets with `#[path]`).
//!
//! By default the calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`): user time plus the
//! kernel time spent in its syscalls, which for netlink includes the kernel's work on the
//! request (generic netlink handles a request in the sender's `sendmsg`, and fills each dump
//! datagram in the reader's `recvmsg`). Unlike wall time it does not count the time the thread
//! sat preempted, which on a busy shared machine is most of the noise. `NLBENCH_CLOCK=wall`
//! switches to wall time (`CLOCK_MONOTONIC`), criterion's usual measurement.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput};

/// Criterion measuring with [`Clock::from_env`], with the given warm-up, measurement time and
/// sample count (and the command line's overrides).
pub fn criterion(warm_up: Duration, measurement: Duration, samples: usize) -> Criterion<Clock> {
    let clock = Clock::from_env();
    eprintln!("measuring {}", clock.name());
    Criterion::default()
        .with_measurement(clock)
        .warm_up_time(warm_up)
        .measurement_time(measurement)
        .sample_size(samples)
        .configure_from_args()
}

/// Thread CPU time or wall time, in nanoseconds.
pub struct Clock {
    id: libc::clockid_t,
}

impl Clock {
    /// The clock selected by `NLBENCH_CLOCK` (`cpu`, the default, or `wall`).
    pub fn from_env() -> Self {
        let wall = std::env::var("NLBENCH_CLOCK").is_ok_and(|v| v == "wall");
        Clock {
            id: if wall {
                libc::CLOCK_MONOTONIC
            } else {
                libc::CLOCK_THREAD_CPUTIME_ID
            },
        }
    }

    /// A name for the banner.
    pub fn name(&self) -> &'static str {
        if self.id == libc::CLOCK_MONOTONIC {
            "wall time (CLOCK_MONOTONIC)"
        } else {
            "thread CPU time (CLOCK_THREAD_CPUTIME_ID)"
        }
    }

    #[inline]
    fn now(&self) -> u64 {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid timespec to write; the clock ids are supported on Linux.
        unsafe { libc::clock_gettime(self.id, &mut ts) };
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    }
}

impl Measurement for Clock {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        self.now()
    }
    fn end(&self, start: u64) -> u64 {
        self.now().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &Nanos
    }
}

struct Nanos;

impl ValueFormatter for Nanos {
    fn scale_values(&self, ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if ns < 1e3 {
            (1.0, "ns")
        } else if ns < 1e6 {
            (1e-3, "µs")
        } else if ns < 1e9 {
            (1e-6, "ms")
        } else {
            (1e-9, "s")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(&self, typical: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        let n = match *t {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n) => n,
            Throughput::Bits(n) => n,
            Throughput::ElementsAndBytes { elements, .. } => elements,
        } as f64;
        let per_s = n * 1e9 / typical;
        let (div, unit) = if per_s < 1e3 {
            (1.0, " elem/s")
        } else if per_s < 1e6 {
            (1e3, "Kelem/s")
        } else if per_s < 1e9 {
            (1e6, "Melem/s")
        } else {
            (1e9, "Gelem/s")
        };
        values.iter_mut().for_each(|v| *v = n * 1e9 / *v / div);
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}
