//! The vtable layouts measured on host programs built entirely by the
//! backend: per program and layout (relative, absolute, and absolute
//! linked with RELR, `-z pack-relative-relocs`, as the baseline), the sizes
//! of the sections vtables affect, the dynamic relocations and the dynamic
//! loader's relocation time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::paths::Dirs;
use crate::process;
use crate::suites::vtables::{compile, layout_rustc, os, readelf, source};

use super::results::{VtableFigures, VtableRow};

const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Loader runs per binary (the median relocation time is reported).
const LOADER_RUNS: usize = 5;

/// The programs: name, source, opt level and arguments.
fn programs() -> Vec<(&'static str, PathBuf, &'static str, Vec<&'static str>)> {
    vec![
        ("dyn_bench", source("dyn_bench"), "2", vec!["20"]),
        (
            "std_example",
            Path::new("example").join("std_example.rs"),
            "0",
            crate::suites::std_example::ARGS.to_vec(),
        ),
    ]
}

/// Builds the programs in each layout under `work` and measures them; a
/// layout whose sysroot does not build gives rows saying so.
pub fn measure(dirs: &Dirs, work: &Path) -> Vec<VtableRow> {
    let absolute = crate::sysroot::build_host_absolute_vtables(dirs);
    let relative = layout_rustc(dirs, "relative", &dirs.dist_sysroot(), "relative");
    let relr = [os("-Clink-arg=-Wl,-z,pack-relative-relocs")];
    let mut rows = Vec::new();
    for (program, source, opt, args) in programs() {
        let build = |rustc, dir: &str, extra: &[_]| {
            compile(rustc, &source, "bin", &work.join(dir), opt, extra).map_err(|(e, _)| e)
        };
        rows.push(row(
            program,
            "relative",
            build(&relative, "relative", &[]),
            &args,
        ));
        match &absolute {
            Ok(sysroot) => {
                let rustc = layout_rustc(dirs, "absolute", sysroot, "absolute");
                rows.push(row(
                    program,
                    "absolute",
                    build(&rustc, "absolute", &[]),
                    &args,
                ));
                let binary = build(&rustc, "absolute_relr", &relr);
                rows.push(row(program, "absolute+RELR", binary, &args));
            }
            Err(why) => {
                for layout in ["absolute", "absolute+RELR"] {
                    let why = format!("the absolute-layout sysroot did not build: {why}");
                    rows.push(row(program, layout, Err(why), &args));
                }
            }
        }
    }
    rows
}

fn row(
    program: &'static str,
    layout: &'static str,
    binary: Result<PathBuf, String>,
    args: &[&str],
) -> VtableRow {
    VtableRow {
        program,
        layout,
        figures: binary.and_then(|binary| figures(&binary, args)),
    }
}

fn figures(binary: &Path, args: &[&str]) -> Result<VtableFigures, String> {
    let sizes = section_sizes(&readelf("-S", binary).map_err(|(e, _)| e)?);
    let size = |name: &str| sizes.iter().find(|(n, _)| n == name).map_or(0, |(_, s)| *s);
    let (relative_relocs, reloc_cycles) = loader_statistics(binary, args)?;
    Ok(VtableFigures {
        data_rel_ro: size(".data.rel.ro"),
        rela_dyn: size(".rela.dyn"),
        relr_dyn: size(".relr.dyn"),
        rodata: size(".rodata"),
        text: size(".text"),
        file: std::fs::metadata(binary).map(|m| m.len()).unwrap_or(0),
        relative_relocs,
        reloc_cycles,
    })
}

/// `(name, size)` of each section from `readelf -S`.
fn section_sizes(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .filter_map(|line| {
            let (_, rest) = line.trim_start().strip_prefix('[')?.split_once(']')?;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            // Name Type Address Off Size ...
            let size = u64::from_str_radix(fields.get(4)?, 16).ok()?;
            Some((fields.first()?.to_string(), size))
        })
        .collect()
}

/// The dynamic loader's count of relative relocations and the median of
/// the runs' relocation time in cycles (LD_DEBUG=statistics, every symbol
/// bound at start-up).
fn loader_statistics(binary: &Path, args: &[&str]) -> Result<(u64, u64), String> {
    let mut relative = 0;
    let mut cycles = Vec::new();
    for _ in 0..LOADER_RUNS {
        let mut cmd = Command::new(binary);
        cmd.args(args)
            .env("LD_DEBUG", "statistics")
            .env("LD_BIND_NOW", "1");
        let out = process::run_captured(&mut cmd, RUN_LIMIT)?;
        let number = |key: &str| -> Option<u64> {
            let line = out.stderr.lines().find(|l| l.contains(key))?;
            let value = line.split(key).nth(1)?.split_whitespace().next()?;
            value.parse().ok()
        };
        relative = number("number of relative relocations:").unwrap_or(0);
        cycles.push(
            number("time needed for relocation:")
                .ok_or("no LD_DEBUG=statistics output from the dynamic loader")?,
        );
    }
    cycles.sort_unstable();
    Ok((relative, cycles[cycles.len() / 2]))
}
