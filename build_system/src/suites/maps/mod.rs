//! Suite `maps`: BTF-defined maps of every common kind, the legacy `maps`
//! section, global data in `.rodata`/`.data`/`.bss` and tail calls through
//! a program array (`example/bpf/{maps_btf,maps_legacy,tail_call}.rs`),
//! compiled at opt levels 0 and 2, loaded with aya and with libbpf
//! (bpftool), run with BPF_PROG_TEST_RUN; user space writes maps before
//! the runs and checks what the programs left in them.
//!
//! Test names: `maps/<example>/O<N>/{compile,aya,libbpf,bpfeb/compile}`.

pub mod harness;

use aya::maps::{HashMap, PerCpuArray, PerCpuHashMap, ProgramArray, RingBuf};
use std::path::Path;

use crate::bpf_objects;
use crate::bpf_pin::{self, Pinned};
use crate::bpf_sys::Prog;
use crate::packets::{self, ETH_P_TEST};
use crate::report::Reporter;
use crate::suites::Ctx;
use harness::{
    KernelTest, TestResult, array_values, expect_eq, failure, load_aya, load_xdp, map,
    maps_of_pinned, named, test_runner,
};

const SUITE: &str = "maps";

const XDP_ABORTED: u32 = 0;
const XDP_DROP: u32 = 1;
const XDP_PASS: u32 = 2;
const XDP_TX: u32 = 3;

/// What `maps_btf` finds in `SCALE` when aya loads it.
const SCALE: u64 = 5;

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let examples: [(&str, &[KernelTest]); 3] = [
        (
            "maps_btf",
            &[
                KernelTest {
                    name: "aya",
                    run: maps_btf_aya,
                },
                KernelTest {
                    name: "libbpf",
                    run: maps_btf_libbpf,
                },
            ],
        ),
        (
            "maps_legacy",
            &[KernelTest {
                name: "aya",
                run: maps_legacy_aya,
            }],
        ),
        (
            "tail_call",
            &[
                KernelTest {
                    name: "aya",
                    run: tail_call_aya,
                },
                KernelTest {
                    name: "libbpf",
                    run: tail_call_libbpf,
                },
            ],
        ),
    ];
    for (example, tests) in examples {
        for opt_level in harness::OPT_LEVELS {
            harness::run_example(ctx, r, SUITE, example, opt_level, tests);
        }
    }
}

/// A test frame whose payload is `payload`.
fn frame(payload: &[u8]) -> Vec<u8> {
    packets::ethernet(ETH_P_TEST, payload)
}

/// Runs `prog` once on `packet` and checks its verdict.
fn expect_verdict(prog: &Prog, what: &str, packet: &[u8], want: u32) -> TestResult {
    let result = bpf_objects::run(prog, packet, 1).map_err(|e| (e, String::new()))?;
    expect_eq(&format!("{what}: verdict"), result.retval, want)
}

/// aya with `SCALE` set to 5: three runs drop; with `LOOKUP[7] = 11` the
/// fourth passes and leaves 55 in `LOOKUP[8]`; every other map and the
/// globals show four runs.
fn maps_btf_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[("SCALE", &SCALE.to_ne_bytes())])?;
    let prog = test_runner(&load_xdp(&mut ebpf, "maps_btf")?)?;
    let packet = frame(&[0; 4]);
    for run in 1..=3 {
        expect_verdict(&prog, &format!("run {run}"), &packet, XDP_DROP)?;
    }
    let mut lookup: HashMap<_, u32, u64> =
        HashMap::try_from(map(&mut ebpf, "LOOKUP")?).map_err(failure("LOOKUP"))?;
    lookup.insert(7, 11, 0).map_err(failure("LOOKUP[7] = 11"))?;
    expect_verdict(&prog, "run 4 (key 7 present)", &packet, XDP_PASS)?;
    expect_eq(
        "LOOKUP[8]",
        lookup.get(&8, 0).map_err(failure("LOOKUP[8]"))?,
        11 * SCALE,
    )?;
    let runs = 4;
    let total = 1000 + runs * SCALE;
    expect_eq(
        "STATS (runs, total, scale, LIMITS[1])",
        array_values(map(&mut ebpf, "STATS")?, 4)?,
        vec![runs, total, SCALE, 9],
    )?;
    expect_eq(
        "RUNS in .bss",
        array_values(map(&mut ebpf, ".bss")?, 1)?,
        vec![runs],
    )?;
    expect_eq(
        "TOTAL in .data",
        array_values(map(&mut ebpf, ".data")?, 1)?,
        vec![total],
    )?;
    let per_cpu: PerCpuArray<_, u64> =
        PerCpuArray::try_from(map(&mut ebpf, "PER_CPU")?).map_err(failure("PER_CPU"))?;
    let counts = per_cpu.get(&0, 0).map_err(failure("PER_CPU[0]"))?;
    expect_eq(
        "PER_CPU[0] summed over CPUs",
        counts.iter().sum::<u64>(),
        runs,
    )?;
    let per_cpu_hash: PerCpuHashMap<_, u32, u64> =
        PerCpuHashMap::try_from(map(&mut ebpf, "PER_CPU_HASH")?)
            .map_err(failure("PER_CPU_HASH"))?;
    let counts = per_cpu_hash
        .get(&3, 0)
        .map_err(failure("PER_CPU_HASH[3]"))?;
    expect_eq(
        "PER_CPU_HASH[3] summed over CPUs",
        counts.iter().sum::<u64>(),
        runs,
    )?;
    let recent: HashMap<_, u32, u64> =
        HashMap::try_from(map(&mut ebpf, "RECENT")?).map_err(failure("RECENT"))?;
    expect_eq(
        "RECENT[4]",
        recent.get(&4, 0).map_err(failure("RECENT[4]"))?,
        40,
    )?;
    let kept = recent.keys().count();
    if kept > 2 {
        return Err((
            format!("the LRU map holds {kept} keys, at most 2 fit"),
            String::new(),
        ));
    }
    let mut events = RingBuf::try_from(map(&mut ebpf, "EVENTS")?).map_err(failure("EVENTS"))?;
    let mut seen = Vec::new();
    while let Some(item) = events.next() {
        let word = |at: usize| {
            item.get(at..at + 8)
                .map(|b| u64::from_ne_bytes(b.try_into().unwrap()))
        };
        seen.push((word(0), word(8)));
    }
    let want: Vec<_> = (1..=runs)
        .map(|run| (Some(run), Some(1000 + run * SCALE)))
        .collect();
    expect_eq("EVENTS (runs, total) records", seen, want)
}

/// libbpf loads the same object with `SCALE` as compiled (1): two runs
/// drop, one with `LOOKUP[7] = 11` passes and copies 11 to `LOOKUP[8]`.
fn maps_btf_libbpf(object: &Path, label: &str) -> TestResult {
    let pinned = Pinned::load_all(object, bpf_pin::pin_dir(label))?;
    let prog = pinned.program("maps_btf").map_err(|e| (e, String::new()))?;
    let packet = frame(&[0; 4]);
    for run in 1..=2 {
        expect_verdict(&prog, &format!("run {run}"), &packet, XDP_DROP)?;
    }
    let mut maps = maps_of_pinned(&bpf_pin::pin_dir(label).join("maps_btf"))?;
    let mut lookup: HashMap<_, u32, u64> =
        HashMap::try_from(named(&mut maps, "LOOKUP")?).map_err(failure("LOOKUP"))?;
    lookup.insert(7, 11, 0).map_err(failure("LOOKUP[7] = 11"))?;
    expect_verdict(&prog, "run 3 (key 7 present)", &packet, XDP_PASS)?;
    expect_eq(
        "LOOKUP[8]",
        lookup.get(&8, 0).map_err(failure("LOOKUP[8]"))?,
        11,
    )?;
    expect_eq(
        "STATS (runs, total, scale, LIMITS[1])",
        array_values(named(&mut maps, "STATS")?, 4)?,
        vec![3, 1003, 1, 9],
    )
}

/// aya loads the legacy `maps` section: a run drops, then with
/// `ALLOWED[42]` present two runs pass and count themselves there.
fn maps_legacy_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let prog = test_runner(&load_xdp(&mut ebpf, "maps_legacy")?)?;
    let packet = frame(&[0; 4]);
    expect_verdict(&prog, "run 1 (key 42 absent)", &packet, XDP_DROP)?;
    let mut allowed: HashMap<_, u32, u32> =
        HashMap::try_from(map(&mut ebpf, "ALLOWED")?).map_err(failure("ALLOWED"))?;
    allowed
        .insert(42, 0, 0)
        .map_err(failure("ALLOWED[42] = 0"))?;
    expect_verdict(&prog, "run 2", &packet, XDP_PASS)?;
    expect_verdict(&prog, "run 3", &packet, XDP_PASS)?;
    expect_eq(
        "ALLOWED[42]",
        allowed.get(&42, 0).map_err(failure("ALLOWED[42]"))?,
        2,
    )?;
    expect_eq(
        "HITS[0]",
        array_values(map(&mut ebpf, "HITS")?, 1)?,
        vec![3],
    )
}

/// aya fills `JUMP` with `tail_tx` and `tail_pass`; `tail_dispatch`
/// reaches each through its index, an empty slot falls through.
fn tail_call_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let dispatch = test_runner(&load_xdp(&mut ebpf, "tail_dispatch")?)?;
    let tx = load_xdp(&mut ebpf, "tail_tx")?;
    let pass = load_xdp(&mut ebpf, "tail_pass")?;
    let mut jump = ProgramArray::try_from(map(&mut ebpf, "JUMP")?).map_err(failure("JUMP"))?;
    jump.set(0, &tx, 0).map_err(failure("JUMP[0] = tail_tx"))?;
    jump.set(1, &pass, 0)
        .map_err(failure("JUMP[1] = tail_pass"))?;
    let cases = [
        ("index 0", frame(&0u32.to_le_bytes()), XDP_TX),
        ("index 1", frame(&1u32.to_le_bytes()), XDP_PASS),
        ("index 2 (empty)", frame(&2u32.to_le_bytes()), XDP_DROP),
        (
            "index 9 (out of range)",
            frame(&9u32.to_le_bytes()),
            XDP_DROP,
        ),
        ("short frame", frame(&[1]), XDP_ABORTED),
    ];
    for (what, packet, want) in &cases {
        expect_verdict(&dispatch, what, packet, *want)?;
    }
    expect_eq(
        "CALLED (tail_tx, tail_pass runs)",
        array_values(map(&mut ebpf, "CALLED")?, 2)?,
        vec![1, 1],
    )
}

/// libbpf loads the three programs; with `JUMP` empty the dispatcher
/// falls through.
fn tail_call_libbpf(object: &Path, label: &str) -> TestResult {
    let pinned = Pinned::load_all(object, bpf_pin::pin_dir(label))?;
    let dispatch = pinned
        .program("tail_dispatch")
        .map_err(|e| (e, String::new()))?;
    for callee in ["tail_tx", "tail_pass"] {
        pinned.program(callee).map_err(|e| (e, String::new()))?;
    }
    expect_verdict(
        &dispatch,
        "index 0 (JUMP empty)",
        &frame(&0u32.to_le_bytes()),
        XDP_DROP,
    )
}
