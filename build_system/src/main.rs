//! The build system of rustc_codegen_bpf, run through `./y.sh`: reads the
//! subcommand and hands over to its module.

mod bench;
mod bpf_objects;
mod bpf_pin;
mod bpf_sys;
mod btf2rust;
mod build;
mod clean;
mod config;
mod gen_helpers;
mod kernel;
mod known_failures;
mod packets;
mod paths;
mod prepare;
mod process;
mod report;
mod run;
mod rustc;
mod suites;
mod sysroot;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: ./y.sh COMMAND [ARGS]

commands:
  prepare                   fetch the crates.io dependencies of the test programs
                            (aya-ebpf), so that build and test need no network
  build                     build the backend into dist/ (librustc_codegen_bpf.so,
                            sysroot/, rustc-bpf and cargo-bpf wrappers)
  test [--only S] [--skip S]
                            run the test suites listed in config.txt
  run [FILE.rs] [-- ARGS]   compile an eBPF program (default example/bpf/xdp_parser.rs)
                            with the backend, load it and run it on sample packets;
                            a FILE.rs using mini_core is built for the host and run
  bench [--quick]           compare eBPF programs with rustc's LLVM backend + bpf-linker
                            (report in target/bench/; --quick: one program, O3)
  clean [--all]             remove build/ and dist/ (--all: also target/)
  gen-helpers               regenerate library/bpf_builtins/src/helpers.rs from
                            /usr/include/linux/bpf.h
  btf2rust [FILE] TYPE...   print #[btf::relocatable] Rust definitions of BTF types
                            (FILE default /sys/kernel/btf/vmlinux) and what they hold
  help                      show this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    if matches!(command.as_str(), "help" | "--help" | "-h") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let dirs = match paths::Dirs::discover() {
        Ok(dirs) => dirs,
        Err(e) => return fail(&e),
    };
    let result = match command.as_str() {
        "prepare" => prepare::main(&dirs, rest).map(|()| 0),
        "build" => build::main(&dirs, rest).map(|()| 0),
        "test" => test::main(&dirs, rest),
        "run" => run::main(&dirs, rest),
        "bench" => bench::main(&dirs, rest),
        "clean" => clean::main(&dirs, rest).map(|()| 0),
        "gen-helpers" => gen_helpers::main(&dirs, rest).map(|()| 0),
        "btf2rust" => btf2rust::main(rest).map(|()| 0),
        other => {
            eprint!("unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
