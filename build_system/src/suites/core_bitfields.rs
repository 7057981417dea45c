//! The `core` suite's bitfield tests. `tests/core/bitfield.rs`, a tc
//! classifier, reads the kernel's `sk_buff.pkt_type` (a 3-bit field)
//! with `core_read_bitfield!` through a local `sk_buff` laid out nothing
//! like the kernel's; its BTF must describe `pkt_type` as a bitfield;
//! libbpf (bpftool) and aya each relocate it against the running
//! kernel's BTF, and on test-run packets whose destination MAC makes
//! `eth_type_trans` set PACKET_HOST, PACKET_OTHERHOST and
//! PACKET_MULTICAST the bitfield read must equal the `pkt_type` of the
//! `__sk_buff` context and the relocated shifts those of the kernel's
//! bitfield. `tests/core/bitfield_targets.rs` is relocated by aya against
//! hand-made target BTFs that move its bitfields (other bits, a unit that
//! grows to two bytes, a wider declared type) and must read each from a
//! packet laid out per its layout, through `bpf_probe_read_kernel`
//! (`core_read_bitfield!`) and direct loads (`read_bitfield!`).
//!
//! Test names: `core/bitfield/O<N>/{compile,btf,pkt_type}`,
//! `core/bitfield/aya`, `core/bitfield/targets/O<N>/{compile,<layout>}`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use aya::programs::SchedClassifier;
use aya::{Btf, EbpfLoader, Endianness};

use super::core_targets::{Int, compile, struct_btf};
use crate::bpf_objects;
use crate::bpf_pin;
use crate::bpf_sys::Prog;
use crate::kernel;
use crate::process;
use crate::report::Reporter;
use crate::suites::Ctx;
use crate::suites::maps::harness::{
    TestResult, expect_eq, failure, load_aya, load_xdp, test_runner,
};

const OPT_LEVELS: [&str; 2] = ["0", "2"];
const PROGRAM: &str = "core_pkt_type";
const TARGETS_PROGRAM: &str = "core_bitfield_targets";
const VMLINUX: &str = "/sys/kernel/btf/vmlinux";
const BPFTOOL_TIME_LIMIT: Duration = Duration::from_secs(60);

/// The local `sk_buff` as BTF must show it: `pkt_type` a 3-bit member
/// at bit 37 of a struct with `kind_flag` set.
const EXPECTED_BTF: &[&str] = &[
    "STRUCT 'sk_buff' size=8 vlen=3",
    "'_bits0' type_id=",
    "bits_offset=37 bitfield_size=3",
];

/// Destination MACs and the `pkt_type` `eth_type_trans` gives them on
/// the loopback device test runs use (address 00:00:00:00:00:00).
const PACKETS: &[(&str, [u8; 6], u32)] = &[
    ("PACKET_HOST", [0; 6], 0),
    ("PACKET_OTHERHOST", [2, 0, 0, 0, 0, 1], 3),
    ("PACKET_MULTICAST", [1, 0, 0x5e, 0, 0, 1], 2),
];

pub fn run(ctx: &Ctx, r: &mut Reporter, dir: &Path, externs: &[String], unavailable: Option<&str>) {
    let mut optimised = None;
    for opt_level in OPT_LEVELS {
        let prefix = format!("core/bitfield/O{opt_level}");
        let object = dir.join(format!("bitfield-O{opt_level}.o"));
        let compiled = compile(ctx, "bitfield", opt_level, &object, externs);
        let compiled_ok = compiled.is_ok();
        r.check(&format!("{prefix}/compile"), compiled);
        if !compiled_ok {
            continue;
        }
        r.check(
            &format!("{prefix}/btf"),
            super::btf::check_dump(&object, EXPECTED_BTF),
        );
        let name = format!("{prefix}/pkt_type");
        match unavailable {
            Some(why) => kernel::report_unavailable(r, &name, why),
            None => r.check(&name, libbpf_test(&object, opt_level)),
        }
        optimised = Some(object);
    }
    match (unavailable, optimised) {
        (Some(why), _) => kernel::report_unavailable(r, "core/bitfield/aya", why),
        (None, Some(object)) => r.check("core/bitfield/aya", aya_test(&object)),
        (None, None) => r.fail("core/bitfield/aya", "no object compiled", String::new()),
    }
    targets(ctx, r, dir, externs, unavailable);
}

/// libbpf relocates the program against the kernel's BTF.
fn libbpf_test(object: &Path, opt_level: &str) -> TestResult {
    let pinned = bpf_pin::Pinned::load_all(
        object,
        bpf_pin::pin_dir(&format!("core_bitfield_O{opt_level}")),
    )?;
    let prog = pinned.program(PROGRAM).map_err(|e| (e, String::new()))?;
    check_packets(&prog)
}

/// aya relocates the program against the kernel's BTF.
fn aya_test(object: &Path) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let program: &mut SchedClassifier = ebpf
        .program_mut(PROGRAM)
        .ok_or_else(|| (format!("aya: no program {PROGRAM}"), String::new()))?
        .try_into()
        .map_err(failure(PROGRAM))?;
    program
        .load()
        .map_err(failure(&format!("aya: loading {PROGRAM}")))?;
    let fd = program.fd().map_err(failure(PROGRAM))?;
    check_packets(&test_runner(fd)?)
}

/// Runs the loaded program on each packet of [`PACKETS`]: the context's
/// `pkt_type`, the bitfield read and the relocated shifts must be the
/// expected ones.
fn check_packets(prog: &Prog) -> TestResult {
    let kernel_lshift = kernel_pkt_type_lshift()?;
    for &(kind, mac, want) in PACKETS {
        let mut packet = vec![0u8; 64];
        packet[..6].copy_from_slice(&mac);
        packet[6..12].copy_from_slice(&[2, 0, 0, 0, 0, 2]);
        packet[12..14].copy_from_slice(&[0x08, 0x00]);
        let ran = bpf_objects::run(prog, &packet, 1).map_err(|e| (e, String::new()))?;
        let r = ran.retval;
        expect_eq(
            &format!("{kind}: __sk_buff.pkt_type, core_read_bitfield!, lshift, rshift"),
            [r & 0xff, r >> 8 & 0xff, r >> 16 & 0xff, r >> 24],
            [want, want, kernel_lshift, 61],
        )?;
    }
    Ok(())
}

/// What libbpf computes as `pkt_type`'s left shift: a `__u8` bitfield is
/// read in a byte, so `64 - (bit within its byte + 3)`.
fn kernel_pkt_type_lshift() -> Result<u32, (String, String)> {
    let mut cmd = Command::new("bpftool");
    cmd.args(["btf", "dump", "file", VMLINUX]);
    let out =
        process::run_captured(&mut cmd, BPFTOOL_TIME_LIMIT).map_err(|e| (e, String::new()))?;
    let bit = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("'pkt_type'") && l.ends_with("bitfield_size=3"))
        .and_then(|l| {
            l.split("bits_offset=")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse::<u32>()
                .ok()
        })
        .ok_or_else(|| ("vmlinux has no 3-bit `pkt_type`".to_string(), String::new()))?;
    Ok(64 - (bit % 8 + 3))
}

/// One target layout of `struct bits`: its size, members (name, type,
/// bit offset, bitfield size or 0) and the unit `flag` is read in (byte
/// offset and size).
struct Layout {
    name: &'static str,
    size: u32,
    members: &'static [(&'static str, Int, u32, u32)],
    flag_unit: (u64, u64),
}

const LAYOUTS: &[Layout] = &[
    Layout {
        name: "as_declared",
        size: 8,
        members: &[
            ("flag", Int::U8, 0, 3),
            ("level", Int::I8, 3, 5),
            ("a", Int::U32, 32, 0),
        ],
        flag_unit: (0, 1),
    },
    // `flag` at bits 70..73 crosses a byte: read as an aligned `u16`.
    Layout {
        name: "moved_across_bytes",
        size: 16,
        members: &[
            ("pad", Int::U64, 0, 0),
            ("level", Int::I8, 64, 5),
            ("flag", Int::U8, 70, 3),
            ("a", Int::U32, 96, 0),
        ],
        flag_unit: (8, 2),
    },
    // `flag` declared `u32`: read as the `u32` at byte 4.
    Layout {
        name: "u32_unit",
        size: 8,
        members: &[
            ("a", Int::U32, 0, 0),
            ("flag", Int::U32, 45, 3),
            ("level", Int::I8, 56, 5),
        ],
        flag_unit: (4, 4),
    },
];

/// Where `tests/core/bitfield_targets.rs` writes its answers, and how
/// many.
const ANSWERS_AT: usize = 24;
const ANSWERS: usize = 7;
const FLAG: u64 = 5;
const LEVEL: i64 = -6;
const A: u64 = 0x1122_3344;

fn targets(ctx: &Ctx, r: &mut Reporter, dir: &Path, externs: &[String], unavailable: Option<&str>) {
    for opt_level in OPT_LEVELS {
        let prefix = format!("core/bitfield/targets/O{opt_level}");
        let object = dir.join(format!("bitfield_targets-O{opt_level}.o"));
        let compiled = compile(ctx, "bitfield_targets", opt_level, &object, externs);
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
}

/// Loads `object` with aya relocating against `layout`'s BTF and checks
/// the bitfields it read from a packet laid out per `layout`.
fn run_against(object: &Path, layout: &Layout) -> TestResult {
    let btf = Btf::parse(
        &struct_btf("bits", layout.size, layout.members),
        Endianness::default(),
    )
    .map_err(failure("aya: parsing the target BTF"))?;
    let bytes = std::fs::read(object).map_err(failure("reading the object"))?;
    let mut ebpf = EbpfLoader::new()
        .btf(Some(&btf))
        .load(&bytes)
        .map_err(failure("aya: loading the object"))?;
    let prog = test_runner(&load_xdp(&mut ebpf, TARGETS_PROGRAM)?)?;
    let mut packet = vec![0u8; ANSWERS_AT + 8 * ANSWERS];
    for &(name, _, bit_offset, bits) in layout.members {
        let (value, bits) = match name {
            "flag" => (FLAG, bits),
            "level" => (LEVEL as u64, bits),
            "a" => (A, 32),
            _ => continue,
        };
        for i in 0..bits {
            if value >> i & 1 != 0 {
                let bit = (bit_offset + i) as usize;
                packet[bit / 8] |= 1 << (bit % 8);
            }
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
    expect_eq(
        "probed flag, level (sign-extended), a; direct flag, level; flag's unit",
        answers,
        vec![
            FLAG,
            LEVEL as u64,
            A,
            FLAG,
            LEVEL as u64,
            layout.flag_unit.0,
            layout.flag_unit.1,
        ],
    )
}
