//! Suite `bench_quick`: runs the benchmark harness as `./y.sh bench
//! --quick` does (one program at opt-level 3, both compilers) and checks
//! that its report has both sides: built, measured, loaded and timed, and
//! written as Markdown, JSON and SVG. Also checks the harness's own
//! arithmetic and verifier-log parsing on fixed inputs.

use crate::bench::results::{FIGURES, Report, SideResult};
use crate::bench::{self, Options, stats};
use crate::bpf_objects;
use crate::kernel;
use crate::report::Reporter;
use crate::suites::Ctx;

const SUITE: &str = "bench_quick";
/// The compilers whose figures must both be there.
const SIDES: [&str; 2] = ["ours", "llvm"];

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    r.check(&format!("{SUITE}/stats"), check_stats());
    r.check(&format!("{SUITE}/verifier_log"), check_log_parsing());
    let options = Options { quick: true };
    let report = match bench::run(&ctx.dirs, &options) {
        Ok(report) => report,
        Err(why) => {
            r.fail(&format!("{SUITE}/output"), why, String::new());
            return;
        }
    };
    r.check(
        &format!("{SUITE}/output"),
        check_output(&options, ctx, &report),
    );
    let unavailable = bpf_objects::kernel_unavailable();
    for side in SIDES {
        r.check(&format!("{SUITE}/{side}/build"), check_build(&report, side));
        let name = format!("{SUITE}/{side}/kernel");
        match &unavailable {
            Some(why) => kernel::report_unavailable(r, &name, why),
            None => r.check(&name, check_kernel(&report, side)),
        }
    }
}

fn fail(reason: impl Into<String>) -> Result<(), (String, String)> {
    Err((reason.into(), String::new()))
}

fn check_stats() -> Result<(), (String, String)> {
    let checks = [
        (stats::median(&[3.0, 1.0, 2.0]), Some(2.0), "median of 3"),
        (
            stats::median(&[4.0, 1.0, 2.0, 3.0]),
            Some(2.5),
            "median of 4",
        ),
        (stats::median(&[]), None, "median of none"),
        (stats::spread(&[1.0, 2.0, 3.0]), Some(1.0), "spread"),
        (stats::spread(&[5.0]), None, "spread of one run"),
        (
            stats::paired_ratio(&[2.0, 4.0, 9.0], &[1.0, 2.0, 3.0]),
            Some(2.0),
            "paired ratio",
        ),
        (
            stats::paired_ratio(&[6.0], &[3.0]),
            Some(2.0),
            "ratio of medians",
        ),
        (stats::paired_ratio(&[6.0], &[0.0]), None, "ratio over zero"),
    ];
    for (got, want, what) in checks {
        if got != want {
            return fail(format!("{what}: got {got:?}, want {want:?}"));
        }
    }
    Ok(())
}

fn check_log_parsing() -> Result<(), (String, String)> {
    let log = "libbpf: prog 'other': -- BEGIN PROG LOAD LOG --\nstack depth 8\n\
               -- END PROG LOAD LOG --\n\
               libbpf: prog 'xdp_x': -- BEGIN PROG LOAD LOG --\n0: (b7) r0 = 2\n\
               stack depth 24+128+0\nprocessed 9 insns (limit 1000000)\n\
               -- END PROG LOAD LOG --\n";
    let got = bench::parse_stack_depth(log, "xdp_x");
    if got != Some(vec![24, 128, 0]) {
        return fail(format!(
            "stack depth of xdp_x: got {got:?}, want [24, 128, 0]"
        ));
    }
    if bench::parse_stack_depth(log, "missing").is_some() {
        return fail("found a stack depth for a program the log does not have");
    }
    let rejected = "libbpf: prog 'xdp_x': -- BEGIN PROG LOAD LOG --\n\
                    5: (71) r2 = *(u8 *)(r1 +0)\ninvalid access to packet, off=0 size=1\n\
                    verification time 9 usec\nstack depth 0\nprocessed 6 insns\n\
                    -- END PROG LOAD LOG --\nlibbpf: prog 'xdp_x': failed to load: -13\n";
    let why = bench::verifier_reason(rejected);
    if why != "invalid access to packet, off=0 size=1" {
        return fail(format!("verifier reason: got {why:?}"));
    }
    let why = bench::verifier_reason("libbpf: loading\nlibbpf: prog 'x': failed to load: -22\n");
    if why != "libbpf: prog 'x': failed to load: -22" {
        return fail(format!("verifier reason without a log: got {why:?}"));
    }
    Ok(())
}

/// The files exist and show the program with both sides.
fn check_output(options: &Options, ctx: &Ctx, report: &Report) -> Result<(), (String, String)> {
    let dir = options.out_dir(&ctx.dirs);
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .map_err(|e| (format!("{}: {e}", dir.join(name).display()), String::new()))
    };
    let md = read("bench.md")?;
    let json = read("bench.json")?;
    let Some(m) = report.measurements.first() else {
        return fail(format!(
            "no measurement (notes: {})",
            report.notes.join("; ")
        ));
    };
    let row = format!("| {} |", m.program);
    for (what, ok) in [
        ("a `## opt-level 3` table", md.contains("## opt-level 3")),
        ("the program's row", md.lines().any(|l| l.starts_with(&row))),
        ("the CPU model", md.contains("- cpu: ")),
        (
            "the host compile table with std_example",
            md.contains("## Host: debug compile time")
                && md
                    .lines()
                    .any(|l| l.starts_with("| std_example |") && l.contains('×')),
        ),
    ] {
        if !ok {
            return Err((format!("bench.md lacks {what}"), md));
        }
    }
    for key in [
        "\"ours\":{",
        "\"llvm\":{",
        "\"ratios_ours_over_llvm\":{",
        "\"machine\":{",
        "\"host_compiles\":[{",
    ] {
        if !json.contains(key) {
            return Err((format!("bench.json lacks {key}"), json));
        }
    }
    let charts = FIGURES
        .iter()
        .filter(|f| dir.join(format!("ratio-{}.svg", f.key)).is_file())
        .count();
    if charts == 0 {
        return fail("no ratio-*.svg chart was written");
    }
    Ok(())
}

/// The figures of `side` for the first program measured.
fn first_side<'a>(report: &'a Report, side: &str) -> Result<&'a SideResult, (String, String)> {
    let m = report
        .measurements
        .first()
        .ok_or(("no measurement".to_string(), String::new()))?;
    m.side(side)
        .ok_or((format!("no `{side}` side"), String::new()))
}

/// The side built an object whose instructions were counted.
fn check_build(report: &Report, side: &str) -> Result<(), (String, String)> {
    let s = first_side(report, side)?;
    let b = s
        .build
        .as_ref()
        .map_err(|why| (format!("{side} did not build: {why}"), String::new()))?;
    let insns = b
        .insns
        .as_ref()
        .map_err(|why| (format!("no instruction count: {why}"), String::new()))?;
    if *insns == 0 || b.object_bytes == 0 || b.cold_s.is_empty() || b.warm_s.is_empty() {
        return fail(format!(
            "empty figures: {insns} insns, {} bytes, {} cold and {} warm builds",
            b.object_bytes,
            b.cold_s.len(),
            b.warm_s.len()
        ));
    }
    Ok(())
}

/// The side loaded, and was timed on a packet it accepts.
fn check_kernel(report: &Report, side: &str) -> Result<(), (String, String)> {
    let s = first_side(report, side)?;
    let k = s
        .kernel
        .as_ref()
        .map_err(|why| (why.clone(), String::new()))?;
    let ns = k
        .ns_per_run
        .as_ref()
        .map_err(|why| (format!("not timed: {why}"), String::new()))?;
    if k.verified_insns == 0 || ns.is_empty() || ns.iter().any(|n| *n <= 0.0) {
        return fail(format!(
            "empty figures: {} verified insns, ns/run {ns:?}",
            k.verified_insns
        ));
    }
    k.stack_depth
        .as_ref()
        .map_err(|why| (format!("no stack depth: {why}"), String::new()))?;
    Ok(())
}
