//! `./y.sh prepare`: fetches what the build and the tests need besides the
//! toolchain (whose rust-src holds the sysroot sources): the crates.io
//! dependencies of the `aya` suite's eBPF programs (aya-ebpf, aya-log-ebpf
//! and the proc macros behind them), with `cargo fetch`, and the sources
//! and dev-dependencies of the `crates` suite's crates, so that later
//! builds and test runs need no network.

use std::process::Command;

use crate::paths::{self, Dirs};
use crate::process;

pub fn main(dirs: &Dirs, args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("prepare takes no arguments, got `{arg}`"));
    }
    let manifest = crate::suites::aya::ebpf_package(dirs).join("Cargo.toml");
    let mut cargo = Command::new("cargo");
    cargo
        .arg(paths::toolchain_arg())
        .args(["fetch", "--locked", "--manifest-path"])
        .arg(&manifest);
    println!("prepare: $ {}", process::describe(&cargo));
    let exit = process::run_inherited(&mut cargo)?;
    if !exit.success() {
        return Err(format!("cargo fetch failed ({exit})"));
    }
    crate::suites::crates::prepare(dirs)?;
    println!("prepare: done");
    Ok(())
}
