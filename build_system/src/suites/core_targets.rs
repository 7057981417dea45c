//! The `core` suite's aya half. `tests/core/targets.rs` is relocated by
//! aya against target BTFs written here, each with its own layout of
//! `struct rec` (one without `b`), and run on packets laid out per each;
//! `tests/core/aya_task.rs` is relocated by aya against the running
//! kernel's BTF and must read this process's tgid and pid from its
//! `task_struct`; `tests/core/aya_type_matches.rs` shows what aya does
//! with a TYPE_MATCHES record (it has no such kind: loading fails).
//!
//! Test names: `core/targets/O<N>/{compile,<layout>}`,
//! `core/aya/{compile,task,type_matches}`.

use std::path::Path;

use aya::programs::TracePoint;
use aya::{Btf, EbpfLoader, Endianness};

use crate::bpf_objects::{self, Target};
use crate::kernel;
use crate::report::Reporter;
use crate::rustc::Rustc;
use crate::suites::Ctx;
use crate::suites::maps::harness::{
    TestResult, array_values, expect_eq, failure, load_aya, load_xdp, map, test_runner,
};

const OPT_LEVELS: [&str; 2] = ["0", "2"];

/// Where `tests/core/targets.rs` writes its answers, and how many.
const ANSWERS_AT: usize = 24;
const ANSWERS: usize = 3;
/// What it answers for `b` when the target has none.
const NO_B: u64 = 0xfeed;
const A: u32 = 0x1122_3344;
const B: u64 = 0x5566_7788_99aa_bbcc;

/// A BTF integer type of the target BTFs.
#[derive(Clone, Copy)]
pub(super) enum Int {
    U32 = 1,
    U64 = 2,
    U8 = 3,
    I8 = 4,
}

/// One layout of `struct rec`: its size and members (name, type, byte
/// offset).
struct Layout {
    name: &'static str,
    size: u32,
    members: &'static [(&'static str, Int, u32)],
}

const LAYOUTS: &[Layout] = &[
    Layout {
        name: "a_then_b",
        size: 16,
        members: &[("a", Int::U32, 0), ("b", Int::U64, 8)],
    },
    Layout {
        name: "pad_b_a",
        size: 24,
        members: &[
            ("pad", Int::U64, 0),
            ("b", Int::U64, 8),
            ("a", Int::U32, 16),
        ],
    },
    Layout {
        name: "no_b",
        size: 8,
        members: &[("pad", Int::U32, 0), ("a", Int::U32, 4)],
    },
];

pub fn run(ctx: &Ctx, r: &mut Reporter, dir: &Path, externs: &[String], unavailable: Option<&str>) {
    for opt_level in OPT_LEVELS {
        let prefix = format!("core/targets/O{opt_level}");
        let object = dir.join(format!("targets-O{opt_level}.o"));
        let compiled = compile(ctx, "targets", opt_level, &object, externs);
        let compiled_ok = compiled.is_ok();
        r.check(&format!("{prefix}/compile"), compiled);
        if !compiled_ok {
            continue;
        }
        for layout in LAYOUTS {
            let name = format!("{prefix}/{}", layout.name);
            match unavailable {
                Some(why) => kernel::report_unavailable(r, &name, why),
                None => r.check(&name, run_against(&object, layout)),
            }
        }
    }
    let task = dir.join("aya_task.o");
    let matches = dir.join("aya_type_matches.o");
    let compiled = compile(ctx, "aya_task", "2", &task, externs)
        .and_then(|()| compile(ctx, "aya_type_matches", "2", &matches, externs));
    let compiled_ok = compiled.is_ok();
    r.check("core/aya/compile", compiled);
    if !compiled_ok {
        return;
    }
    if let Some(why) = unavailable {
        kernel::report_unavailable(r, "core/aya/task", why);
        kernel::report_unavailable(r, "core/aya/type_matches", why);
        return;
    }
    r.check("core/aya/task", task_test(&task));
    let matches = type_matches_test(r, &matches);
    r.check("core/aya/type_matches", matches);
}

/// Compiles `tests/core/<source>.rs` against the eBPF `btf` crate.
pub(super) fn compile(
    ctx: &Ctx,
    source: &str,
    opt_level: &str,
    object: &Path,
    externs: &[String],
) -> TestResult {
    bpf_objects::compile_with_args(
        &Rustc::backend(&ctx.dirs),
        Path::new(&format!("tests/core/{source}.rs")),
        Target::Bpfel,
        opt_level,
        object,
        externs,
    )
    .map(drop)
    .map_err(|(reason, details)| (format!("{source}: {reason}"), details))
}

/// Loads `object` with aya relocating against `layout`'s BTF and checks
/// what the program read from a packet laid out per `layout`.
fn run_against(object: &Path, layout: &Layout) -> TestResult {
    let members: Vec<_> = layout
        .members
        .iter()
        .map(|&(name, ty, offset)| (name, ty, offset * 8, 0))
        .collect();
    let btf = Btf::parse(
        &struct_btf("rec", layout.size, &members),
        Endianness::default(),
    )
    .map_err(failure("aya: parsing the target BTF"))?;
    let bytes = std::fs::read(object).map_err(failure("reading the object"))?;
    let mut ebpf = EbpfLoader::new()
        .btf(Some(&btf))
        .load(&bytes)
        .map_err(failure("aya: loading the object"))?;
    let prog = test_runner(&load_xdp(&mut ebpf, "core_targets")?)?;
    let mut packet = vec![0xee_u8; ANSWERS_AT + 8 * ANSWERS];
    let mut want = [u64::from(A), NO_B, u64::MAX];
    for &(name, _, offset) in layout.members {
        let at = offset as usize;
        match name {
            "a" => {
                packet[at..at + 4].copy_from_slice(&A.to_ne_bytes());
                want[2] = u64::from(offset);
            }
            "b" => {
                packet[at..at + 8].copy_from_slice(&B.to_ne_bytes());
                want[1] = B;
            }
            _ => {}
        }
    }
    let ran = bpf_objects::run(&prog, &packet, 1).map_err(|e| (e, String::new()))?;
    expect_eq("XDP verdict", ran.retval, 2)?;
    let answers: Vec<u64> = (0..ANSWERS)
        .map(|i| {
            let at = ANSWERS_AT + 8 * i;
            ran.data_out
                .get(at..at + 8)
                .map_or(0, |b| u64::from_ne_bytes(b.try_into().unwrap_or([0; 8])))
        })
        .collect();
    expect_eq("a, b (or 0xfeed), offset of a", answers, want.to_vec())
}

/// A little-endian BTF of `u32`, `u64`, `u8`, `s8` (the ids of [`Int`])
/// and a struct `name` of `size` bytes with `members` (name, type, bit
/// offset, bitfield size or 0). Written by hand: neither aya nor btf-rs
/// writes BTF.
pub(super) fn struct_btf(name: &str, size: u32, members: &[(&str, Int, u32, u32)]) -> Vec<u8> {
    const KIND_INT: u32 = 1;
    const KIND_STRUCT: u32 = 4;
    const INT_SIGNED: u32 = 1 << 24;
    let mut strings = vec![0u8];
    let mut add_name = |s: &str| {
        let off = strings.len() as u32;
        strings.extend_from_slice(s.as_bytes());
        strings.push(0);
        off
    };
    let mut types: Vec<u32> = Vec::new();
    for (ty, bits, encoding) in [
        ("u32", 32, 0),
        ("u64", 64, 0),
        ("u8", 8, 0),
        ("s8", 8, INT_SIGNED),
    ] {
        types.extend([add_name(ty), KIND_INT << 24, bits / 8, encoding | bits]);
    }
    let bitfields = members.iter().any(|&(_, _, _, bits)| bits != 0);
    types.extend([
        add_name(name),
        u32::from(bitfields) << 31 | KIND_STRUCT << 24 | members.len() as u32,
        size,
    ]);
    for &(member, ty, bit_offset, bitfield_size) in members {
        types.extend([
            add_name(member),
            ty as u32,
            bitfield_size << 24 | bit_offset,
        ]);
    }
    let type_len = 4 * types.len() as u32;
    let mut btf = Vec::new();
    btf.extend(0xeb9f_u16.to_le_bytes());
    btf.extend([1, 0]);
    for word in [24, 0, type_len, type_len, strings.len() as u32] {
        btf.extend(word.to_le_bytes());
    }
    for word in types {
        btf.extend(word.to_le_bytes());
    }
    btf.extend(strings);
    btf
}

unsafe extern "C" {
    fn gettid() -> i32;
    fn getppid() -> i32;
}

/// aya relocates `tests/core/aya_task.rs` against the kernel's BTF; after
/// a `getppid()` its map holds this process's tgid and pid.
fn task_test(object: &Path) -> TestResult {
    let tgid = std::process::id();
    let mut ebpf = load_aya(object, &[("TARGET_TGID", &tgid.to_ne_bytes())])?;
    let program: &mut TracePoint = ebpf
        .program_mut("core_aya_task")
        .ok_or_else(|| ("aya: no program core_aya_task".to_string(), String::new()))?
        .try_into()
        .map_err(failure("core_aya_task"))?;
    program
        .load()
        .map_err(failure("aya: loading core_aya_task"))?;
    let link = program
        .attach("syscalls", "sys_enter_getppid")
        .map_err(failure("attaching to syscalls/sys_enter_getppid"))?;
    let (tid, _) = unsafe { (gettid(), getppid()) };
    program
        .detach(link)
        .map_err(failure("detaching core_aya_task"))?;
    let seen = array_values(map(&mut ebpf, "SEEN")?, 3)?;
    let tid = tid as u64;
    expect_eq(
        "relocated tgid, relocated pid, bpf_get_current_pid_tgid()",
        seen,
        vec![u64::from(tgid), tid, u64::from(tgid) << 32 | tid],
    )
}

/// aya 0.14 has no TYPE_MATCHES: loading an object with such a record
/// must fail with aya's "invalid relocation kind 12" (not load a wrong
/// answer). Reports what aya said.
fn type_matches_test(r: &Reporter, object: &Path) -> TestResult {
    match load_aya(object, &[]) {
        Ok(_) => Err((
            "aya loaded a TYPE_MATCHES record; docs/core-parity.md says it cannot".to_string(),
            String::new(),
        )),
        Err((reason, details)) => {
            if details.contains("InvalidRelocationKind { kind: 12 }") {
                r.info(&format!(
                    "core/aya/type_matches: aya refuses the whole object when it parses \
                     .BTF.ext (InvalidRelocationKind {{ kind: 12 }}: {reason}); \
                     no instruction is poisoned"
                ));
                Ok(())
            } else {
                Err((format!("unexpected aya error: {reason}"), details))
            }
        }
    }
}
