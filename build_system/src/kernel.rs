//! The one place that decides what happens to a test that needs the running
//! kernel (loading, verifying or running BPF programs) when it cannot run:
//! it is skipped, unless `BPF_REQUIRE_KERNEL=1` (set by CI) makes it fail.

use crate::report::{Outcome, Reporter};

/// The environment variable that turns "kernel unavailable" into a failure.
pub const REQUIRE_KERNEL_VAR: &str = "BPF_REQUIRE_KERNEL";

/// Whether this run insists on kernel tests running.
pub fn kernel_required() -> bool {
    std::env::var(REQUIRE_KERNEL_VAR).is_ok_and(|v| v == "1")
}

/// The outcome of a kernel test that could not run because of `why`.
pub fn unavailable_outcome(required: bool, why: &str) -> Outcome {
    if required {
        Outcome::Failed(
            format!("kernel test could not run: {why}"),
            format!("{REQUIRE_KERNEL_VAR}=1 makes this a failure instead of a skip"),
        )
    } else {
        Outcome::Skipped(format!("kernel unavailable: {why}"))
    }
}

/// Records a kernel test that could not run, as a skip or a failure.
pub fn report_unavailable(reporter: &mut Reporter, name: &str, why: &str) {
    reporter.record(name, unavailable_outcome(kernel_required(), why));
}
