//! The programs of the helpers suite, what their objects must show, and
//! their runs with the values they must return.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::packets::{self, ETH_P_TEST};
use crate::process;

/// One example of `example/bpf/` and how to check it.
pub struct Program {
    /// File stem and entry point.
    pub name: &'static str,
    /// Text the disassembly must contain.
    pub disassembly: &'static [&'static str],
    /// A further check of the object.
    pub check: fn(&Path) -> Result<(), (String, String)>,
    cases: fn() -> Vec<Run>,
}

impl Program {
    pub fn runs(&self) -> Vec<Run> {
        (self.cases)()
    }
}

/// What a run gets: a packet, or the context of a `syscall` program.
pub enum Input {
    Packet(Vec<u8>),
    Context(Vec<u8>),
}

/// One BPF_PROG_TEST_RUN and the value it must return.
pub struct Run {
    pub name: String,
    pub input: Input,
    pub expect: u32,
}

pub const PROGRAMS: &[Program] = &[
    Program {
        name: "helpers_declared",
        // ktime_get_ns, get_prandom_u32, map_update_elem, map_lookup_elem,
        // trace_printk, get_smp_processor_id.
        disassembly: &[
            "call 0x5", "call 0x7", "call 0x2", "call 0x1", "call 0x6", "call 0x8",
        ],
        check: no_further_check,
        cases: helpers_declared,
    },
    Program {
        name: "socket_ldabs",
        disassembly: &["skb[0x1]", "skb[r"],
        check: no_further_check,
        cases: socket_ldabs,
    },
    Program {
        name: "kfunc_task",
        disassembly: &["call -0x1"],
        check: kfunc_btf,
        cases: kfunc_task,
    },
];

fn no_further_check(_: &Path) -> Result<(), (String, String)> {
    Ok(())
}

/// Every check of `helpers_declared` holds: six bits.
fn helpers_declared() -> Vec<Run> {
    vec![Run {
        name: "all_checks".into(),
        input: Input::Packet(packets::ethernet(ETH_P_TEST, &[0; 16])),
        expect: 0b11_1111,
    }]
}

/// The network header of `socket_ldabs` cases: selector, offset byte,
/// then distinct bytes.
fn ldabs_payload(selector: u8, offset: u8) -> Vec<u8> {
    let mut payload = vec![selector, offset];
    payload.extend((0..30u8).map(|i| 0x11u8.wrapping_mul(i + 1) ^ 0x80));
    payload
}

fn socket_ldabs() -> Vec<Run> {
    let cases = [
        ("abs_word", 1, 6),
        ("abs_half", 2, 6),
        ("abs_byte", 3, 6),
        ("ind_word", 4, 6),
        ("ind_half", 5, 6),
        ("ind_byte", 6, 6),
        ("other", 9, 6),
        // A load past the packet's end ends the program with 0.
        ("ind_past_end", 4, 200),
    ];
    cases
        .into_iter()
        .map(|(name, selector, offset)| {
            let payload = ldabs_payload(selector, offset);
            Run {
                name: name.into(),
                expect: ldabs_expected(&payload),
                input: Input::Packet(packets::ethernet(ETH_P_TEST, &payload)),
            }
        })
        .collect()
}

/// What `socket_ldabs` returns for the network header `p`: 0 when a load
/// falls outside it.
fn ldabs_expected(p: &[u8]) -> u32 {
    let at = |i: usize, n: usize| p.get(i..i + n);
    let be = |bytes: &[u8]| bytes.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
    let offset = usize::from(p[1]);
    let value = match p[0] {
        1 => at(1, 4).map(be),
        2 => at(1, 2).map(be),
        3 => at(1, 1).map(be),
        4 => at(offset, 4).map(be),
        5 => at(offset + 2, 2).map(be),
        6 => at(offset, 2).map(|b| u32::from(b[0]) + u32::from(b[1])),
        _ => Some(0xffff_ffff),
    };
    value.unwrap_or(0)
}

/// `bpf_task_from_pid` finds pid 2 (kthreadd, in the initial pid namespace
/// the kfunc searches; pid 1 need not be visible there in a microVM) and no
/// task for an unused pid.
fn kfunc_task() -> Vec<Run> {
    vec![
        Run {
            name: "kthreadd".into(),
            input: Input::Context(2i32.to_ne_bytes().to_vec()),
            expect: 1,
        },
        Run {
            name: "no_such_pid".into(),
            input: Input::Context(0x3fff_fff0i32.to_ne_bytes().to_vec()),
            expect: 0,
        },
    ]
}

/// The kfuncs are extern FUNCs in a `.ksyms` DATASEC of the object's BTF.
fn kfunc_btf(object: &Path) -> Result<(), (String, String)> {
    let mut cmd = Command::new("bpftool");
    cmd.args(["btf", "dump", "file"]).arg(object);
    let out =
        process::run_captured(&mut cmd, Duration::from_secs(60)).map_err(|e| (e, String::new()))?;
    let want = [
        "FUNC 'bpf_task_from_pid' type_id=",
        "FUNC 'bpf_task_release' type_id=",
        "linkage=extern",
        "DATASEC '.ksyms' size=0 vlen=2",
    ];
    let missing: Vec<&str> = want
        .into_iter()
        .filter(|w| !out.stdout.contains(w))
        .collect();
    if out.exit.success() && missing.is_empty() {
        Ok(())
    } else {
        Err((
            format!("bpftool btf dump: missing {missing:?}"),
            format!("{}{}", out.stdout, out.stderr),
        ))
    }
}
