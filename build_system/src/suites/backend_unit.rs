//! Suite `backend_unit`: the backend crate's own unit tests (`cargo test
//! --lib`: encodings, the assembler, object and BTF writers, the linker),
//! each reported as a test of its own.

use std::process::Command;
use std::time::Duration;

use crate::paths;
use crate::process;
use crate::report::Reporter;
use crate::suites::Ctx;

const SUITE: &str = "backend_unit";

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let mut cmd = Command::new("cargo");
    cmd.arg(paths::toolchain_arg())
        .args(["test", "--release", "--lib", "--manifest-path"])
        .arg(ctx.dirs.root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(ctx.dirs.root.join("target"));
    let output = match process::run_captured(&mut cmd, Duration::from_secs(1200)) {
        Ok(output) => output,
        Err(why) => {
            r.fail(&format!("{SUITE}/build"), why, String::new());
            return;
        }
    };
    let mut seen = 0;
    for line in output.stdout.lines() {
        let Some((name, verdict)) = line
            .strip_prefix("test ")
            .and_then(|rest| rest.rsplit_once(" ... "))
        else {
            continue;
        };
        let name = format!("{SUITE}/{name}");
        seen += 1;
        match verdict {
            "ok" => r.pass(&name),
            // An ignored unit test checks nothing: every one must run.
            _ => r.fail(
                &name,
                format!("unit test: {verdict}"),
                unit_failure(&output.stdout),
            ),
        }
    }
    if !output.exit.success() && seen == 0 {
        r.fail(
            &format!("{SUITE}/build"),
            "cargo test did not build or run the unit tests",
            process::clip(&output.stderr, 20, 40),
        );
    } else if seen == 0 {
        r.fail(&format!("{SUITE}/build"), "no unit test ran", String::new());
    }
}

/// The failure messages cargo prints after the test list.
fn unit_failure(stdout: &str) -> String {
    let failures = stdout.split_once("failures:").map_or("", |(_, rest)| rest);
    process::clip(failures, 40, 20)
}
