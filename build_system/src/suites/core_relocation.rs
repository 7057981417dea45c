//! The `core` suite: CO-RE. The `btf` crate's host unit tests (`cargo
//! test` in `library/btf`, the local answers); then `tests/core/task.rs`
//! is compiled with the backend against the `btf` crate built for eBPF,
//! its BTF must name the relocatable types as the kernel does, and libbpf
//! loads it (relocating it against the running kernel's BTF) and runs it
//! with BPF_PROG_TEST_RUN: its relocated reads of its own `task_struct`
//! must give `gettid()`, `getpid()` and `getppid()`, and its queries the
//! offsets, sizes and enumerators of `/sys/kernel/btf/vmlinux`.
//!
//! Last, `btf2rust task_struct` output compiled into a program that reads
//! its tgid through it.
//!
//! Then `core_targets`: the same relocations done by aya, against
//! hand-made target BTFs and the kernel's.
//!
//! Test names: `core/host`, `core/O<N>/{compile,btf,load,<check>}`,
//! `core/btf2rust/{generate,compile,run}`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bpf_objects::{self, Target};
use crate::bpf_pin;
use crate::bpf_sys::Prog;
use crate::btf2rust;
use crate::kernel;
use crate::paths;
use crate::process;
use crate::report::Reporter;
use crate::rustc::{self, Rustc};
use crate::suites::Ctx;

const SUITE: &str = "core";
const SOURCE: &str = "tests/core/task.rs";
const PROGRAM: &str = "core_task";
const GENERATED_SOURCE: &str = "tests/core/generated.rs";
const GENERATED_PROGRAM: &str = "generated_task";
const VMLINUX: &str = "/sys/kernel/btf/vmlinux";
const TOOL_TIME_LIMIT: Duration = Duration::from_secs(120);
/// Debug and optimised builds: relocated constants must survive both.
const OPT_LEVELS: [&str; 2] = ["0", "2"];

/// What `bpftool btf dump file` must show: kernel names, flavor kept
/// (libbpf strips it when matching).
const EXPECTED_BTF: &[&str] = &[
    "STRUCT 'task_struct' size=",
    "STRUCT 'task_struct___mine' size=",
    "STRUCT 'sched_entity' size=8 vlen=1",
    "'real_parent' type_id=",
    "ENUM 'pid_type' encoding=",
    "'PIDTYPE_TGID' val=9",
];

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    r.check(&format!("{SUITE}/host"), host_tests(ctx));
    let dir = ctx.dirs.build.join("core");
    let btf_rlib = match build_btf_crate(ctx, &dir) {
        Ok(rlib) => rlib,
        Err((reason, details)) => {
            for opt_level in OPT_LEVELS {
                r.fail(&format!("{SUITE}/O{opt_level}/compile"), &reason, &details);
            }
            return;
        }
    };
    let unavailable = bpf_objects::kernel_unavailable();
    for opt_level in OPT_LEVELS {
        let prefix = format!("{SUITE}/O{opt_level}");
        let object = dir.join(format!("task-O{opt_level}.o"));
        let externs = extern_args(&btf_rlib);
        let compiled = bpf_objects::compile_with_args(
            &Rustc::backend(&ctx.dirs),
            Path::new(SOURCE),
            Target::Bpfel,
            opt_level,
            &object,
            &externs,
        );
        if let Err((reason, details)) = compiled {
            r.fail(&format!("{prefix}/compile"), reason, details);
            continue;
        }
        r.pass(&format!("{prefix}/compile"));
        r.check(
            &format!("{prefix}/btf"),
            super::btf::check_dump(&object, EXPECTED_BTF),
        );
        let name = format!("{prefix}/load");
        match &unavailable {
            Some(why) => kernel::report_unavailable(r, &name, why),
            None => run_program(r, &object, &prefix),
        }
    }
    generated_program(ctx, r, &dir, &btf_rlib, unavailable.as_deref());
    super::core_targets::run(
        ctx,
        r,
        &dir,
        &extern_args(&btf_rlib),
        unavailable.as_deref(),
    );
    super::core_bitfields::run(
        ctx,
        r,
        &dir,
        &extern_args(&btf_rlib),
        unavailable.as_deref(),
    );
}

/// `btf2rust task_struct` from the kernel's BTF, compiled into
/// `tests/core/generated.rs`, which must read its own tgid.
fn generated_program(
    ctx: &Ctx,
    r: &mut Reporter,
    dir: &Path,
    btf_rlib: &Path,
    unavailable: Option<&str>,
) {
    let prefix = format!("{SUITE}/btf2rust");
    let generated =
        btf2rust::generate(Path::new(VMLINUX), &["task_struct".to_string()]).and_then(|text| {
            std::fs::write(dir.join("vmlinux.rs"), text)
                .map_err(|e| format!("writing vmlinux.rs: {e}"))
        });
    if let Err(e) = generated {
        r.fail(&format!("{prefix}/generate"), e, String::new());
        return;
    }
    r.pass(&format!("{prefix}/generate"));
    let object = dir.join("generated.o");
    let compiled = bpf_objects::compile_with_args(
        &Rustc::backend(&ctx.dirs),
        Path::new(GENERATED_SOURCE),
        Target::Bpfel,
        "2",
        &object,
        &extern_args(btf_rlib),
    );
    if let Err((reason, details)) = compiled {
        r.fail(&format!("{prefix}/compile"), reason, details);
        return;
    }
    r.pass(&format!("{prefix}/compile"));
    let name = format!("{prefix}/run");
    if let Some(why) = unavailable {
        kernel::report_unavailable(r, &name, why);
        return;
    }
    let result =
        bpf_pin::Pinned::load_all(&object, bpf_pin::pin_dir("core_generated")).and_then(|pinned| {
            let mut buffer = [0u8; 8];
            let tgid = pinned
                .program(GENERATED_PROGRAM)
                .and_then(|prog| prog.test_run_ctx(&mut buffer, 0, 0))
                .map_err(|e| (e, String::new()))?;
            if tgid == std::process::id() {
                Ok(())
            } else {
                Err((
                    format!("read tgid {tgid}, want {}", std::process::id()),
                    String::new(),
                ))
            }
        });
    r.check(&name, result);
}

/// `cargo test` of `library/btf` with the pinned toolchain.
fn host_tests(ctx: &Ctx) -> Result<(), (String, String)> {
    let mut cmd = Command::new("cargo");
    cmd.arg(paths::toolchain_arg())
        .args(["test", "--quiet", "--manifest-path"])
        .arg(ctx.dirs.root.join("library/btf/Cargo.toml"))
        .env("CARGO_TARGET_DIR", ctx.dirs.build.join("core/host-target"));
    run_ok(&mut cmd)
}

/// The `btf` crate for eBPF (`libbtf.rlib`), its attribute macro built
/// for the host by the pinned toolchain.
fn build_btf_crate(ctx: &Ctx, dir: &Path) -> Result<PathBuf, (String, String)> {
    std::fs::create_dir_all(dir).map_err(|e| {
        (
            format!("cannot create {}: {e}", dir.display()),
            String::new(),
        )
    })?;
    let macros = dir.join("libbtf_macros.so");
    let mut cmd = Rustc::llvm(&ctx.dirs).command();
    cmd.args(["--edition", "2024", "--crate-type", "proc-macro"])
        .args(["--crate-name", "btf_macros", "-o"])
        .arg(&macros)
        .arg("library/btf/macros/src/lib.rs");
    run_ok(&mut cmd)?;
    let rlib = dir.join("libbtf.rlib");
    let mut spec = OsString::from("btf_macros=");
    spec.push(&macros);
    let mut cmd = Rustc::backend(&ctx.dirs).command();
    cmd.args(["--edition", "2024", "--target", Target::Bpfel.triple()])
        .args([
            "--crate-type",
            "rlib",
            "--crate-name",
            "btf",
            "-Copt-level=2",
        ])
        .arg("--extern")
        .arg(spec)
        .arg("-o")
        .arg(&rlib)
        .arg("library/btf/src/lib.rs");
    run_ok(&mut cmd)?;
    Ok(rlib)
}

fn extern_args(btf_rlib: &Path) -> Vec<String> {
    let dir = btf_rlib.parent().unwrap_or(Path::new("."));
    vec![
        "--extern".into(),
        format!("btf={}", btf_rlib.display()),
        "-L".into(),
        format!("dependency={}", dir.display()),
    ]
}

fn run_ok(cmd: &mut Command) -> Result<(), (String, String)> {
    let out = run_stdout(cmd)?;
    drop(out);
    Ok(())
}

fn run_stdout(cmd: &mut Command) -> Result<String, (String, String)> {
    let out = process::run_captured(cmd, rustc::COMPILE_TIME_LIMIT.max(TOOL_TIME_LIMIT))
        .map_err(|e| (e, String::new()))?;
    if out.exit.success() {
        Ok(out.stdout)
    } else {
        Err((
            format!("{} failed ({})", process::describe(cmd), out.exit),
            process::clip(&format!("{}{}", out.stdout, out.stderr), 60, 20),
        ))
    }
}

fn bpftool_btf_dump(file: &Path) -> Result<String, (String, String)> {
    let mut cmd = Command::new("bpftool");
    cmd.args(["btf", "dump", "file"]).arg(file);
    run_stdout(&mut cmd)
}

unsafe extern "C" {
    fn gettid() -> i32;
    fn getppid() -> i32;
}

/// Loads the program (libbpf relocates it), runs it and checks each
/// answer against the running process and the kernel's BTF.
fn run_program(r: &mut Reporter, object: &Path, prefix: &str) {
    let expected = match expected_values() {
        Ok(values) => values,
        Err((reason, details)) => {
            r.fail(&format!("{prefix}/load"), reason, details);
            return;
        }
    };
    let pinned = match bpf_pin::Pinned::load_all(object, bpf_pin::pin_dir(SUITE)) {
        Ok(pinned) => pinned,
        Err((reason, details)) => {
            r.fail(&format!("{prefix}/load"), reason, details);
            return;
        }
    };
    r.pass(&format!("{prefix}/load"));
    let mut ctx = vec![0u8; 8 * expected.len()];
    let ran = pinned
        .program(PROGRAM)
        .and_then(|prog: Prog| prog.test_run_ctx(&mut ctx, 0, 0));
    let run_name = format!("{prefix}/run");
    match ran {
        Ok(1) => r.pass(&run_name),
        Ok(other) => r.fail(
            &run_name,
            format!("returned {other}, want 1"),
            String::new(),
        ),
        Err(e) => {
            r.fail(&run_name, e, String::new());
            return;
        }
    }
    for (i, (name, want)) in expected.iter().enumerate() {
        let got = u64::from_ne_bytes(ctx[8 * i..8 * i + 8].try_into().unwrap_or([0; 8]));
        let test = format!("{prefix}/{name}");
        if got == *want {
            r.pass(&test);
        } else {
            r.fail(&test, format!("got {got}, want {want}"), String::new());
        }
    }
}

/// The answers `tests/core/task.rs` must write, in its order.
fn expected_values() -> Result<Vec<(&'static str, u64)>, (String, String)> {
    let vmlinux = bpftool_btf_dump(Path::new(VMLINUX))?;
    let task = kernel_struct(&vmlinux, "task_struct")?;
    let se = kernel_struct(&vmlinux, "sched_entity")?;
    let (tid, ppid) = unsafe { (gettid(), getppid()) };
    Ok(vec![
        ("core_read_pid", tid as u64),
        ("core_read_tgid", u64::from(std::process::id())),
        ("core_read_parent_tgid", ppid as u64),
        ("direct_pid", tid as u64),
        ("field_byte_offset", task.offset("pid")?),
        (
            "nested_field_byte_offset",
            task.offset("se")? + se.offset("vruntime")?,
        ),
        ("field_byte_size", 8),
        ("field_exists", 1),
        ("field_missing", 0),
        ("field_byte_offset_missing", 77),
        ("field_signed", 1),
        ("field_unsigned", 0),
        ("field_lshift", 32),
        ("field_rshift", 32),
        ("type_exists_flavor", 1),
        ("type_missing", 0),
        ("type_size", task.size),
        ("type_size_missing", 0),
        ("type_matches_missing", 0),
        ("type_id_target", 1),
        ("type_id_local", 1),
        ("enum_value_missing", 0),
        ("enum_value_tgid", 1),
        ("enum_value_sid", 3),
        ("type_matches", 1),
        ("type_matches_mismatch", 0),
    ])
}

/// A struct of the kernel's BTF: its size and its members' bit offsets.
struct KernelStruct {
    name: &'static str,
    size: u64,
    members: Vec<(String, u64)>,
}

impl KernelStruct {
    fn offset(&self, member: &str) -> Result<u64, (String, String)> {
        self.members
            .iter()
            .find(|(name, _)| name == member)
            .map(|(_, bits)| bits / 8)
            .ok_or_else(|| {
                (
                    format!("vmlinux `{}` has no `{member}`", self.name),
                    String::new(),
                )
            })
    }
}

/// Finds `STRUCT 'name' size=N vlen=M` and its members in a
/// `bpftool btf dump` listing.
fn kernel_struct(dump: &str, name: &'static str) -> Result<KernelStruct, (String, String)> {
    let head = format!("] STRUCT '{name}' size=");
    let mut lines = dump.lines();
    let missing = || (format!("vmlinux has no struct `{name}`"), String::new());
    let header = lines
        .by_ref()
        .find(|l| l.contains(&head))
        .ok_or_else(missing)?;
    let field = |key: &str, line: &str| -> Option<u64> {
        let rest = &line[line.find(key)? + key.len()..];
        rest.split_whitespace().next()?.parse().ok()
    };
    let size = field("size=", header).ok_or_else(missing)?;
    let vlen = field("vlen=", header).ok_or_else(missing)?;
    let members = lines
        .take(vlen as usize)
        .filter_map(|l| {
            let name = l.trim().strip_prefix('\'')?.split('\'').next()?.to_string();
            Some((name, field("bits_offset=", l)?))
        })
        .collect();
    Ok(KernelStruct {
        name,
        size,
        members,
    })
}
