//! Suite `progtypes`: eBPF programs of the common types besides XDP
//! (`example/bpf/{progtypes,syscall_prog,fentry_prog}.rs`), compiled at
//! opt levels 0 and 2. Those BPF_PROG_TEST_RUN can run (tc classifier,
//! socket filter, raw tracepoint on a given CPU, syscall) are loaded with
//! libbpf (bpftool) and run on crafted input; the others (tracepoint,
//! kprobe, BTF tracepoint, fentry) are loaded with aya, with the test's
//! tgid set in their `.rodata`, attached, triggered by getppid(2) calls of
//! this process and checked through the counters they leave in a map.
//!
//! Test names: `progtypes/<example>/O<N>/{compile,<test>,bpfeb/compile}`.

use std::path::Path;

use aya::Btf;
use aya::maps::Map;
use aya::programs::uprobe::UProbeScope;
use aya::programs::{BtfTracePoint, FEntry, KProbe, Program, TracePoint, UProbe};

use crate::bpf_objects;
use crate::bpf_pin::{self, Pinned};
use crate::bpf_sys::{BPF_F_TEST_RUN_ON_CPU, Prog};
use crate::packets;
use crate::report::Reporter;
use crate::suites::Ctx;
use crate::suites::maps::harness::{
    self, KernelTest, TestResult, array_values, expect_eq, failure, load_aya, map, maps_of_pinned,
    test_runner,
};

const SUITE: &str = "progtypes";
/// getppid(2) on x86-64.
const SYS_GETPPID: u64 = 110;
/// How many getppid(2) calls each tracing test makes.
const CALLS: u64 = 3;
/// Where tracepoints are looked up.
const TRACEFS: &str = "/sys/kernel/tracing";

unsafe extern "C" {
    fn getppid() -> i32;
}

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let examples: [(&str, &[KernelTest]); 3] = [
        (
            "progtypes",
            &[
                KernelTest {
                    name: "test_run",
                    run: test_runs,
                },
                KernelTest {
                    name: "test_run_aya",
                    run: test_runs_aya,
                },
                KernelTest {
                    name: "tracepoint",
                    run: |object, _| traced(object, Tracing::TracePoint),
                },
                KernelTest {
                    name: "kprobe",
                    run: |object, _| traced(object, Tracing::KProbe),
                },
                KernelTest {
                    name: "tp_btf",
                    run: |object, _| traced(object, Tracing::BtfTracePoint),
                },
                KernelTest {
                    name: "uprobe",
                    run: |object, _| traced(object, Tracing::UProbe),
                },
            ],
        ),
        (
            "syscall_prog",
            &[KernelTest {
                name: "test_run",
                run: syscall_run,
            }],
        ),
        (
            "fentry_prog",
            &[KernelTest {
                name: "fentry",
                run: |object, _| traced(object, Tracing::FEntry),
            }],
        ),
    ];
    for (example, tests) in examples {
        for opt_level in harness::OPT_LEVELS {
            harness::run_example(ctx, r, SUITE, example, opt_level, tests);
        }
    }
}

/// Runs `prog` once on `packet` and checks its result.
fn expect_run(prog: &Prog, what: &str, packet: &[u8], want: u32) -> TestResult {
    let result = bpf_objects::run(prog, packet, 1).map_err(|e| (e, String::new()))?;
    expect_eq(&format!("{what}: result"), result.retval, want)
}

/// libbpf loads every program of `progtypes`; the tc classifier, the
/// socket filter and the raw tracepoint run and record what they saw.
fn test_runs(object: &Path, label: &str) -> TestResult {
    let pinned = Pinned::load_all(object, bpf_pin::pin_dir(label))?;
    let mut programs = Vec::new();
    for name in TEST_RUN_PROGRAMS {
        programs.push(pinned.program(name).map_err(|e| (e, String::new()))?);
    }
    let mut maps = maps_of_pinned(&bpf_pin::pin_dir(label).join("tc_len"))?;
    check_test_runs(&programs, maps.remove("COUNTS"), maps.remove("SEEN"))
}

/// aya loads the same object; its tc classifier, socket filter and raw
/// tracepoint run as with libbpf.
fn test_runs_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let mut programs = Vec::new();
    for name in TEST_RUN_PROGRAMS {
        let program = ebpf
            .program_mut(name)
            .ok_or_else(|| (format!("aya: no program {name}"), String::new()))?;
        let loading = format!("aya: loading {name}");
        let fd = match program {
            Program::SchedClassifier(prog) => {
                prog.load().map_err(failure(&loading))?;
                prog.fd()
            }
            Program::SocketFilter(prog) => {
                prog.load().map_err(failure(&loading))?;
                prog.fd()
            }
            Program::RawTracePoint(prog) => {
                prog.load().map_err(failure(&loading))?;
                prog.fd()
            }
            _ => return Err((format!("aya: {name} has an unexpected type"), String::new())),
        };
        programs.push(test_runner(fd.map_err(failure(name))?)?);
    }
    check_test_runs(&programs, ebpf.take_map("COUNTS"), ebpf.take_map("SEEN"))
}

/// The programs of `progtypes` BPF_PROG_TEST_RUN runs, in the order
/// [`check_test_runs`] takes them.
const TEST_RUN_PROGRAMS: [&str; 3] = ["tc_len", "socket_len", "raw_tp_sum"];

/// Runs the [`TEST_RUN_PROGRAMS`] on crafted input and checks their
/// results and what they left in `counts` and `seen` (the maps `COUNTS`
/// and `SEEN`, if the loader found them).
fn check_test_runs(programs: &[Prog], counts: Option<Map>, seen: Option<Map>) -> TestResult {
    let [tc, socket, raw_tp] = programs else {
        return Err(("expected three programs".to_string(), String::new()));
    };
    let (Some(counts), Some(seen)) = (counts, seen) else {
        return Err(("no map COUNTS or SEEN".to_string(), String::new()));
    };
    expect_run(tc, "tc_len, 60 bytes", &packets::pattern(60, 1), 2)?;
    expect_run(tc, "tc_len, 100 bytes", &packets::pattern(100, 2), 0)?;
    expect_run(
        socket,
        "socket_len, 100 bytes",
        &packets::pattern(100, 3),
        20,
    )?;
    let mut args = [0u8; 16];
    args[..8].copy_from_slice(&0x1_0000_0005u64.to_ne_bytes());
    args[8..].copy_from_slice(&7u64.to_ne_bytes());
    let sum = raw_tp
        .test_run_ctx(&mut args, BPF_F_TEST_RUN_ON_CPU, 0)
        .map_err(|e| (e, String::new()))?;
    expect_eq("raw_tp_sum(0x1_0000_0005, 7)", sum, 12)?;
    expect_eq(
        "COUNTS of tc_len, socket_len, raw_tp_sum",
        array_values(&counts, 3)?,
        vec![2, 1, 1],
    )?;
    expect_eq(
        "SEEN of tc_len, socket_len, raw_tp_sum",
        array_values(&seen, 3)?,
        // A socket filter's skb starts at the network header.
        vec![100, 100 - packets::ETH_HLEN as u64, 7],
    )
}

/// libbpf loads the syscall program; it multiplies in its context.
fn syscall_run(object: &Path, label: &str) -> TestResult {
    let pinned = Pinned::load_all(object, bpf_pin::pin_dir(label))?;
    let prog = pinned
        .program("syscall_mul")
        .map_err(|e| (e, String::new()))?;
    let mut args = [0u8; 12];
    args[..4].copy_from_slice(&6u32.to_ne_bytes());
    args[4..8].copy_from_slice(&7u32.to_ne_bytes());
    let sum = prog
        .test_run_ctx(&mut args, 0, 0)
        .map_err(|e| (e, String::new()))?;
    expect_eq("syscall_mul(6, 7)", sum, 13)?;
    let product = u32::from_ne_bytes(args[8..12].try_into().unwrap());
    expect_eq("product written back to the context", product, 42)
}

/// The attachable program types and what each records.
#[derive(Clone, Copy)]
enum Tracing {
    BtfTracePoint,
    FEntry,
    TracePoint,
    KProbe,
    UProbe,
}

impl Tracing {
    fn program(self) -> &'static str {
        match self {
            Tracing::BtfTracePoint => "tp_btf_getppid",
            Tracing::FEntry => "fentry_getppid",
            Tracing::TracePoint => "tracepoint_getppid",
            Tracing::KProbe => "kprobe_getppid",
            Tracing::UProbe => "uprobe_count",
        }
    }

    /// Its slot in `COUNTS` and `SEEN`, and the value `SEEN` must hold.
    fn slot(self) -> (u32, u64) {
        match self {
            Tracing::BtfTracePoint => (3, SYS_GETPPID),
            Tracing::FEntry => (4, 0),
            Tracing::TracePoint => (5, SYS_GETPPID),
            Tracing::KProbe => (6, 0),
            Tracing::UProbe => (7, 0),
        }
    }
}

/// Loads `object` with aya, this process's tgid in `TARGET_TGID`, attaches
/// the program of `kind`, calls getppid(2) (or, for the uprobe,
/// [`rcgb_uprobe_target`]) [`CALLS`] times and checks that the program counted
/// exactly those calls.
fn traced(object: &Path, kind: Tracing) -> TestResult {
    if let Tracing::TracePoint = kind {
        ensure_tracefs()?;
    }
    let tgid = std::process::id();
    let mut ebpf = load_aya(object, &[("TARGET_TGID", &tgid.to_ne_bytes())])?;
    let name = kind.program();
    let program = ebpf
        .program_mut(name)
        .ok_or_else(|| (format!("aya: no program {name}"), String::new()))?;
    let loading = format!("aya: loading {name}");
    let attaching = format!("aya: attaching {name}");
    match kind {
        Tracing::BtfTracePoint => {
            let btf = Btf::from_sys_fs().map_err(failure("kernel BTF"))?;
            let prog: &mut BtfTracePoint = program.try_into().map_err(failure(name))?;
            prog.load("sys_enter", &btf).map_err(failure(&loading))?;
            prog.attach().map_err(failure(&attaching))?;
        }
        Tracing::FEntry => {
            let btf = Btf::from_sys_fs().map_err(failure("kernel BTF"))?;
            let prog: &mut FEntry = program.try_into().map_err(failure(name))?;
            prog.load("__do_sys_getppid", &btf)
                .map_err(failure(&loading))?;
            prog.attach().map_err(failure(&attaching))?;
        }
        Tracing::TracePoint => {
            let prog: &mut TracePoint = program.try_into().map_err(failure(name))?;
            prog.load().map_err(failure(&loading))?;
            prog.attach("syscalls", "sys_enter_getppid")
                .map_err(failure(&attaching))?;
        }
        Tracing::KProbe => {
            let prog: &mut KProbe = program.try_into().map_err(failure(name))?;
            prog.load().map_err(failure(&loading))?;
            prog.attach("__x64_sys_getppid", 0)
                .map_err(failure(&attaching))?;
        }
        Tracing::UProbe => {
            let prog: &mut UProbe = program.try_into().map_err(failure(name))?;
            prog.load().map_err(failure(&loading))?;
            let exe = std::env::current_exe().map_err(failure("this executable"))?;
            prog.attach("rcgb_uprobe_target", &exe, UProbeScope::CallingProcess)
                .map_err(failure(&attaching))?;
        }
    }
    for call in 0..CALLS {
        match kind {
            Tracing::UProbe => {
                std::hint::black_box(rcgb_uprobe_target(call));
            }
            _ => {
                unsafe { getppid() };
            }
        }
    }
    let (slot, seen) = kind.slot();
    let counts = array_values(map(&mut ebpf, "COUNTS")?, 8)?;
    let seens = array_values(map(&mut ebpf, "SEEN")?, 8)?;
    expect_eq(
        &format!("COUNTS[{slot}] (runs of {name})"),
        counts[slot as usize],
        CALLS,
    )?;
    expect_eq(&format!("SEEN[{slot}]"), seens[slot as usize], seen)
}

/// The user function the uprobe test attaches to: a symbol of this
/// executable that is really called.
#[unsafe(no_mangle)]
#[inline(never)]
extern "C" fn rcgb_uprobe_target(x: u64) -> u64 {
    std::hint::black_box(x).wrapping_add(1)
}

/// Mounts tracefs where aya looks for tracepoints, unless it is there.
fn ensure_tracefs() -> TestResult {
    if Path::new(TRACEFS).join("events").is_dir() {
        return Ok(());
    }
    let mut cmd = std::process::Command::new("mount");
    cmd.args(["-t", "tracefs", "tracefs", TRACEFS]);
    let out = crate::process::run_captured(&mut cmd, std::time::Duration::from_secs(10))
        .map_err(|e| (format!("mounting tracefs: {e}"), String::new()))?;
    if out.exit.success() {
        Ok(())
    } else {
        Err((
            format!("tracefs is not mounted at {TRACEFS} and mounting it failed"),
            out.stderr,
        ))
    }
}
