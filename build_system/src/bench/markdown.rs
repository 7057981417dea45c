//! The report as Markdown (`target/bench/bench.md`, also printed): the
//! machine, one table per opt level with `ours / LLVM (ratio)` in every
//! cell, the C twins, why figures are missing, and spread warnings.

use std::fmt::Write;

use super::results::{FIGURES, Figure, Measurement, Report, SideResult, median_of};
use super::stats;

fn value(figure: &Figure, side: Option<&SideResult>) -> String {
    side.and_then(|s| median_of(figure, s))
        .map_or("—".to_string(), |v| format!("{v:.*}", figure.decimals))
}

fn loaded(side: Option<&SideResult>) -> &'static str {
    match side {
        Some(s) if s.kernel.is_ok() => "yes",
        Some(s) if s.build.is_ok() => "no",
        _ => "—",
    }
}

/// A ratio with about three significant digits (`0.004×`, `0.24×`, `12.5×`).
pub fn ratio(r: f64) -> String {
    let decimals = if r >= 10.0 {
        1
    } else if r >= 0.1 {
        2
    } else {
        3
    };
    format!("{r:.decimals$}×")
}

fn row(m: &Measurement) -> String {
    let (ours, llvm) = (m.side("ours"), m.side("llvm"));
    let mut line = format!("| {} | {} / {} |", m.program, loaded(ours), loaded(llvm));
    for figure in FIGURES {
        let ratio = m
            .ratio(figure)
            .map_or(String::new(), |r| format!(" ({r:.2}×)"));
        let _ = write!(
            line,
            " {} / {}{ratio} |",
            value(figure, ours),
            value(figure, llvm)
        );
    }
    line
}

fn header(first: &str, second: &str) -> String {
    let titles: Vec<&str> = FIGURES.iter().map(|f| f.title).collect();
    format!(
        "| {first} | {second} | {} |\n|---|---|{}\n",
        titles.join(" | "),
        "---|".repeat(titles.len())
    )
}

/// The whole report.
pub fn render(report: &Report) -> String {
    let mut out = String::from(
        "# eBPF programs: rustc_codegen_bpf (ours) vs rustc's LLVM backend + bpf-linker\n\n",
    );
    for (key, value) in &report.machine {
        let _ = writeln!(out, "- {key}: {value}");
    }
    let r = report.repeats;
    let _ = writeln!(
        out,
        "- runs: cold builds {}, warm builds {} (median), BPF_PROG_TEST_RUN {} × {} repeats (median){}",
        r.cold_builds,
        r.warm_builds,
        r.timed_runs,
        r.test_run_repeat,
        if report.quick { "; --quick" } else { "" }
    );
    out.push_str(
        "\nEach cell: ours / LLVM (ours ÷ LLVM, paired run by run); lower is better \
         everywhere; — means no figure (see below). Ours: `dist/rustc-bpf --target \
         bpfel-unknown-none`. LLVM: cargo + `-Zbuild-std=core`, release, fat LTO, \
         codegen-units=1, panic=abort, bpf-linker `--btf`; its cold build includes \
         building `core`. insns: program + subprograms in the object; verified insns, \
         stack (per-function depths summed) and JIT bytes from the loaded program.\n",
    );
    let mut levels: Vec<&str> = report.measurements.iter().map(|m| m.opt_level).collect();
    levels.dedup();
    for level in levels {
        let _ = write!(
            out,
            "\n## opt-level {level}\n\n{}",
            header("program", "loaded")
        );
        for m in report.measurements.iter().filter(|m| m.opt_level == level) {
            out.push_str(&row(m));
            out.push('\n');
        }
    }
    let twins: Vec<&Measurement> = report
        .measurements
        .iter()
        .filter(|m| m.side("clang").is_some())
        .collect();
    if !twins.is_empty() {
        let _ = write!(
            out,
            "\n## C twins (clang -target bpf -O2 -g)\n\n{}",
            header("program", "loaded")
        );
        for m in twins {
            let clang = m.side("clang");
            let _ = write!(
                out,
                "| {} (vs O{} rows) | {} |",
                m.program,
                m.opt_level,
                loaded(clang)
            );
            for figure in FIGURES {
                let _ = write!(out, " {} |", value(figure, clang));
            }
            out.push('\n');
        }
    }
    let missing = missing_figures(report);
    if !missing.is_empty() || !report.notes.is_empty() {
        out.push_str("\n## Missing figures and notes\n\n");
        for line in report.notes.iter().chain(&missing) {
            let _ = writeln!(out, "- {line}");
        }
    }
    let warnings = report.warnings();
    if !warnings.is_empty() {
        out.push('\n');
        for line in warnings {
            let _ = writeln!(out, "{line}");
        }
    }
    host(&mut out, report);
    out
}

/// The host tables: compile times and vtable layouts.
fn host(out: &mut String, report: &Report) {
    if !report.host_compiles.is_empty() {
        out.push_str(
            "\n## Host: debug compile time (s, median; ours / LLVM (ratio, paired))\n\n\
             | program | built as | ours | LLVM | ours ÷ LLVM |\n|---|---|---|---|---|\n",
        );
        for h in &report.host_compiles {
            let median = |runs: &Result<Vec<f64>, String>| match runs {
                Ok(v) => {
                    stats::median(v).map_or("—".into(), |m| format!("{m:.2} ({} runs)", v.len()))
                }
                Err(why) => format!("— ({why})"),
            };
            let ratio = h.ratio().map_or("—".to_string(), ratio);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {ratio} |",
                h.program,
                h.how,
                median(&h.ours_s),
                median(&h.llvm_s)
            );
        }
    }
    if !report.vtables.is_empty() {
        out.push_str(
            "\n## Host: vtable layouts (bytes; relocation time: median dynamic-loader cycles, \
             LD_BIND_NOW=1)\n\n\
             | program | layout | .data.rel.ro | .rela.dyn (entries) | .relr.dyn | .rodata | .text \
             | file | relative relocs | reloc cycles |\n|---|---|---|---|---|---|---|---|---|---|\n",
        );
        for row in &report.vtables {
            match &row.figures {
                Ok(f) => {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} |",
                        row.program,
                        row.layout,
                        f.data_rel_ro,
                        f.rela_dyn,
                        f.rela_dyn / 24,
                        f.relr_dyn,
                        f.rodata,
                        f.text,
                        f.file,
                        f.relative_relocs,
                        f.reloc_cycles
                    );
                }
                Err(why) => {
                    let _ = writeln!(
                        out,
                        "| {} | {} | not measured: {why} |",
                        row.program, row.layout
                    );
                }
            }
        }
    }
}

/// One line per side and stage that produced no figures, with the reason.
fn missing_figures(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    for m in &report.measurements {
        for side in &m.sides {
            let at = format!("{} O{} {}", m.program, m.opt_level, side.compiler);
            match (&side.build, &side.kernel) {
                (Err(why), _) => lines.push(format!("{at}: did not build: {why}")),
                (Ok(b), kernel) => {
                    if let Err(why) = &b.insns {
                        lines.push(format!("{at}: no instruction count: {why}"));
                    }
                    match kernel {
                        Err(why) => lines.push(format!("{at}: {why}")),
                        Ok(k) => {
                            if let Err(why) = &k.stack_depth {
                                lines.push(format!("{at}: no stack depth: {why}"));
                            }
                            if let Err(why) = &k.ns_per_run {
                                lines.push(format!("{at}: not timed: {why}"));
                            }
                        }
                    }
                }
            }
        }
    }
    lines
}
