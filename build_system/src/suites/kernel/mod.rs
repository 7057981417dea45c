//! Suite `kernel`: every eBPF example of `example/bpf/` at every opt level
//! is compiled with the backend for `bpfel-unknown-none` and disassembled,
//! loaded into the running kernel (which verifies it), and run with
//! BPF_PROG_TEST_RUN on crafted packets whose return values and rewritten
//! bytes are checked. Each example is also compiled and disassembled for
//! `bpfeb-unknown-none` (the machine is little-endian, so nothing runs).
//!
//! Test names: `kernel/<example>/O<N>/{compile,objdump,load,<case>}` and
//! `kernel/<example>/bpfeb/O<N>/{compile,objdump}`.

pub mod cases;

use std::path::{Path, PathBuf};

use crate::bpf_objects::{self, Target};
use crate::kernel;
use crate::report::{Outcome, Reporter};
use crate::rustc::Rustc;
use crate::suites::Ctx;
use cases::{Case, Example};

const SUITE: &str = "kernel";

/// The compiler and the disassembler (or why there is none).
struct Tools {
    rustc: Rustc,
    objdump: Result<PathBuf, String>,
}

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let tools = Tools {
        rustc: Rustc::backend(&ctx.dirs),
        objdump: bpf_objects::llvm_objdump(),
    };
    let unavailable = bpf_objects::kernel_unavailable();
    if let Some(why) = &unavailable {
        r.info(&format!("{SUITE}: kernel tests cannot run: {why}"));
    }
    for example in cases::EXAMPLES {
        let cases = (example.cases)();
        for opt_level in bpf_objects::OPT_LEVELS {
            let prefix = format!("{SUITE}/{}/O{opt_level}", example.name);
            let Some(object) = build(ctx, r, &tools, example, Target::Bpfel, opt_level, &prefix)
            else {
                let why = format!("O{opt_level} did not build");
                r.skip(&format!("{prefix}/load"), &why);
                for case in &cases {
                    r.skip(&format!("{prefix}/{}", case.name), &why);
                }
                continue;
            };
            match &unavailable {
                Some(why) => {
                    kernel::report_unavailable(r, &format!("{prefix}/load"), why);
                    for case in &cases {
                        kernel::report_unavailable(r, &format!("{prefix}/{}", case.name), why);
                    }
                }
                None => load_and_run(r, example, &cases, &object, opt_level, &prefix),
            }
        }
        for opt_level in bpf_objects::OPT_LEVELS {
            let prefix = format!("{SUITE}/{}/bpfeb/O{opt_level}", example.name);
            build(ctx, r, &tools, example, Target::Bpfeb, opt_level, &prefix);
        }
    }
}

/// The `compile` and `objdump` tests of one example, target and opt
/// level; returns the object when both passed.
fn build(
    ctx: &Ctx,
    r: &mut Reporter,
    tools: &Tools,
    example: &Example,
    target: Target,
    opt_level: &str,
    prefix: &str,
) -> Option<PathBuf> {
    let source = bpf_objects::example_source(example.name);
    let object = bpf_objects::object_path(&ctx.dirs, &source, target, opt_level);
    let compiled = bpf_objects::compile(&tools.rustc, &source, target, opt_level, &object);
    let compiled = compiled.map(|_| ());
    let ok = compiled.is_ok();
    r.check(&format!("{prefix}/compile"), compiled);
    if !ok {
        r.skip(&format!("{prefix}/objdump"), "compile failed");
        return None;
    }
    let disassembled = match &tools.objdump {
        Ok(tool) => bpf_objects::disassemble(tool, &object, &[example.entry]).map(|_| ()),
        Err(why) => Err((why.clone(), String::new())),
    };
    let ok = disassembled.is_ok();
    r.check(&format!("{prefix}/objdump"), disassembled);
    ok.then_some(object)
}

/// Loads one object and runs every case on its program; the pins go away
/// when this returns, whatever happened.
fn load_and_run(
    r: &mut Reporter,
    example: &Example,
    cases: &[Case],
    object: &Path,
    opt_level: &str,
    prefix: &str,
) {
    let label = format!("{}_O{opt_level}", example.name);
    let loaded = match bpf_objects::load(object, &label) {
        Ok(loaded) => loaded,
        Err((reason, details)) => {
            r.fail(&format!("{prefix}/load"), reason, details);
            for case in cases {
                r.skip(&format!("{prefix}/{}", case.name), "load failed");
            }
            return;
        }
    };
    let prog = match loaded.program(example.entry) {
        Ok(prog) => prog,
        Err(e) => {
            r.fail(&format!("{prefix}/load"), e, String::new());
            for case in cases {
                r.skip(&format!("{prefix}/{}", case.name), "no pinned program");
            }
            return;
        }
    };
    r.pass(&format!("{prefix}/load"));
    for case in cases {
        let outcome = match bpf_objects::run(&prog, &case.packet, 1) {
            Ok(result) => check_case(example, case, result.retval, &result.data_out),
            Err(e) => Outcome::Failed(e, String::new()),
        };
        r.record(&format!("{prefix}/{}", case.name), outcome);
    }
}

/// Compares one run with the case's expectations.
pub fn check_case(example: &Example, case: &Case, retval: u32, data_out: &[u8]) -> Outcome {
    let show = |v: u32| {
        if example.entry.starts_with("xdp") {
            cases::xdp_action_name(v)
        } else {
            v.to_string()
        }
    };
    let mut problems = Vec::new();
    let mut details = String::new();
    if retval != case.retval {
        problems.push(format!(
            "returned {}, expected {}",
            show(retval),
            show(case.retval)
        ));
    }
    if let Some(expected) = &case.output
        && let Some(diff) = byte_diff(expected, data_out)
    {
        problems.push("the packet differs".to_string());
        details.push_str(&diff);
    }
    if problems.is_empty() {
        Outcome::Passed
    } else {
        details.push_str(&format!("input packet:\n{}", hex_lines(&case.packet)));
        Outcome::Failed(problems.join("; "), details)
    }
}

/// The byte ranges where `actual` differs from `expected`, or `None`.
fn byte_diff(expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let mut out = String::new();
    if expected.len() != actual.len() {
        out.push_str(&format!(
            "length {} bytes, expected {}\n",
            actual.len(),
            expected.len()
        ));
    }
    let len = expected.len().min(actual.len());
    let mut at = 0;
    let mut ranges = 0;
    while at < len {
        if expected[at] == actual[at] {
            at += 1;
            continue;
        }
        let start = at;
        while at < len && expected[at] != actual[at] {
            at += 1;
        }
        ranges += 1;
        if ranges <= 8 {
            out.push_str(&format!(
                "bytes {start}..{at} (payload +{}): expected {} got {}\n",
                start.saturating_sub(crate::packets::ETH_HLEN),
                hex(&expected[start..at]),
                hex(&actual[start..at])
            ));
        }
    }
    if ranges > 8 {
        out.push_str(&format!("... {} more differing ranges\n", ranges - 8));
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `bytes` as hex, 16 to a line.
fn hex_lines(bytes: &[u8]) -> String {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, chunk)| {
            let words: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            format!("{:04x}  {}\n", 16 * i, words.join(" "))
        })
        .collect()
}
