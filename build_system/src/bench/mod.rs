//! `./y.sh bench [--quick]`: the eBPF programs of the corpus compiled by
//! the backend and by rustc's LLVM backend with bpf-linker (and clang on
//! C twins), side by side in one run: compile times, object sizes,
//! instruction counts, what the verifier and the JIT make of them and
//! BPF_PROG_TEST_RUN timings; then the host: debug compile times against
//! LLVM and the vtable layouts' section sizes and relocations. Writes
//! `target/bench/bench.{md,json}` and `ratio-*.svg` (`target/bench/quick/`
//! for `--quick`, which measures one program at opt-level 3 and the
//! std_example compile once, with fewer runs).

mod compilers;
mod corpus;
mod host;
mod json;
mod kernel_run;
mod linker;
mod machine;
mod markdown;
pub mod results;
pub mod stats;
mod svg;
mod vtable_sizes;

use std::path::{Path, PathBuf};

use crate::bpf_objects;
use crate::build;
use crate::paths::Dirs;
use compilers::{Clang, Compiler, Llvm};
use corpus::Program;
use kernel_run::Loaded;
use results::{Built, FIGURES, KernelFigures, Measurement, Repeats, Report, SideResult};

pub use kernel_run::{parse_stack_depth, verifier_reason};

/// What a bench run measures.
pub struct Options {
    pub quick: bool,
}

impl Options {
    fn repeats(&self) -> Repeats {
        Repeats {
            cold_builds: 1,
            warm_builds: if self.quick { 3 } else { 5 },
            timed_runs: if self.quick { 3 } else { 5 },
            test_run_repeat: 100_000,
        }
    }

    fn opt_levels(&self) -> &'static [&'static str] {
        if self.quick { &["3"] } else { &["3", "0"] }
    }

    fn programs(&self) -> impl Iterator<Item = &'static Program> {
        let quick = self.quick;
        corpus::PROGRAMS
            .iter()
            .filter(move |p| !quick || p.name == corpus::QUICK)
    }

    /// Where the builds go.
    fn work_dir(&self, dirs: &Dirs) -> PathBuf {
        let dir = dirs.build.join("bench");
        if self.quick { dir.join("quick") } else { dir }
    }

    /// Where the report files go.
    pub fn out_dir(&self, dirs: &Dirs) -> PathBuf {
        let dir = dirs.root.join("target").join("bench");
        if self.quick { dir.join("quick") } else { dir }
    }
}

pub fn main(dirs: &Dirs, args: &[String]) -> Result<i32, String> {
    let mut options = Options { quick: false };
    for arg in args {
        match arg.as_str() {
            "--quick" => options.quick = true,
            other => {
                return Err(format!(
                    "bench: unknown argument `{other}` (known: --quick)"
                ));
            }
        }
    }
    build::ensure_built(dirs)?;
    let report = run(dirs, &options)?;
    print!("{}", markdown::render(&report));
    println!("\nbench: written to {}", options.out_dir(dirs).display());
    Ok(0)
}

/// What every measurement of a run shares.
struct Env<'a> {
    dirs: &'a Dirs,
    /// Where the builds go.
    work: PathBuf,
    linker: Result<PathBuf, String>,
    objdump: Result<PathBuf, String>,
    /// Why nothing can be loaded, if so.
    kernel_unavailable: Option<String>,
    repeats: Repeats,
}

/// Measures the corpus and writes the report files.
pub fn run(dirs: &Dirs, options: &Options) -> Result<Report, String> {
    let linker = linker::ensure(dirs);
    let env = Env {
        dirs,
        work: options.work_dir(dirs),
        objdump: bpf_objects::llvm_objdump(),
        kernel_unavailable: bpf_objects::kernel_unavailable(),
        repeats: options.repeats(),
        linker,
    };
    let mut notes = Vec::new();
    if let Err(why) = &env.linker {
        notes.push(format!("the LLVM side has no bpf-linker: {why}"));
    }
    let mut report = Report {
        machine: machine::describe(env.linker.as_deref().ok()),
        quick: options.quick,
        repeats: env.repeats,
        notes,
        measurements: Vec::new(),
        host_compiles: Vec::new(),
        vtables: Vec::new(),
    };
    let out_dir = options.out_dir(dirs);
    let programs: Vec<&Program> = options
        .programs()
        .filter(|program| match program.missing(&dirs.root) {
            Some(why) => {
                report.notes.push(format!("skipped {why}"));
                false
            }
            None => true,
        })
        .collect();
    // Every program at one opt level before the next: an interrupted run
    // has whole tables.
    for opt_level in options.opt_levels() {
        for program in &programs {
            eprintln!("bench: {} O{opt_level}", program.name);
            report.measurements.push(measure(&env, program, opt_level));
            write_files(&out_dir, &report)?;
        }
    }
    eprintln!("bench: host compile times");
    let runs = if options.quick { 1 } else { 3 };
    report.host_compiles = host::measure(dirs, &env.work, runs, !options.quick);
    write_files(&out_dir, &report)?;
    if !options.quick {
        eprintln!("bench: vtable layouts");
        report.vtables = vtable_sizes::measure(dirs, &env.work.join("vtables"));
    }
    write_files(&out_dir, &report)?;
    Ok(report)
}

fn write_files(dir: &Path, report: &Report) -> Result<(), String> {
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write("bench.md", &markdown::render(report))?;
    write("bench.json", &json::render(report))?;
    match svg::render_host(report) {
        Some(chart) => write("ratio-host_compile_s.svg", &chart)?,
        None => {
            let _ = std::fs::remove_file(dir.join("ratio-host_compile_s.svg"));
        }
    }
    for figure in FIGURES {
        let name = format!("ratio-{}.svg", figure.key);
        match svg::render(report, figure) {
            Some(chart) => write(&name, &chart)?,
            None => {
                let _ = std::fs::remove_file(dir.join(&name));
            }
        }
    }
    Ok(())
}

/// Seconds of the cold and of the warm builds of one compiler.
type BuildTimes = (Vec<f64>, Vec<f64>);

/// One program at one opt level, every compiler; builds and timed runs
/// take turns between the compilers so that load on the machine hits
/// them alike.
fn measure(env: &Env, program: &'static Program, opt_level: &'static str) -> Measurement {
    let dirs = env.dirs;
    let mut compilers: Vec<Box<dyn Compiler>> = vec![
        compilers::ours(dirs, &env.work, program, opt_level),
        Box::new(Llvm::new(
            dirs,
            &env.work,
            env.linker.clone(),
            program,
            opt_level,
        )),
    ];
    if opt_level == "3"
        && let Some(twin) = program.c_twin(&dirs.root)
    {
        compilers.push(Box::new(Clang::new(dirs, &env.work, program, twin)));
    }
    let mut times: Vec<Result<BuildTimes, String>> = compilers
        .iter()
        .map(|c| {
            let cold: Result<Vec<f64>, String> =
                (0..env.repeats.cold_builds).map(|_| c.cold()).collect();
            cold.map(|cold| (cold, Vec::new()))
        })
        .collect();
    for _ in 0..env.repeats.warm_builds {
        for (compiler, time) in compilers.iter().zip(&mut times) {
            if let Ok((_, warm)) = time {
                match compiler.warm() {
                    Ok(t) => warm.push(t),
                    Err(why) => *time = Err(why),
                }
            }
        }
    }
    let builds: Vec<Result<Built, String>> = compilers
        .iter()
        .zip(times)
        .map(|(c, time)| time.and_then(|(cold, warm)| built(env, program, &c.object(), cold, warm)))
        .collect();
    let cases = program.cases();
    let loaded: Vec<Result<Loaded, String>> = compilers
        .iter()
        .zip(&builds)
        .map(|(c, build)| {
            if let Err(why) = build {
                return Err(format!("not loaded: did not build ({why})"));
            }
            if let Some(why) = &env.kernel_unavailable {
                return Err(format!("not loaded: kernel unavailable: {why}"));
            }
            let label = format!("bench_{}_O{opt_level}_{}", program.name, c.name());
            kernel_run::load(&c.object(), program.entry, &label)
                .map_err(|why| format!("did not load: {why}"))
        })
        .collect();
    let mut timings: Vec<Result<Vec<f64>, String>> = loaded
        .iter()
        .map(|l| match (l, &cases) {
            (Ok(l), Ok(cases)) => l.check(cases).map(|()| Vec::new()),
            (_, Err(why)) => Err(why.clone()),
            (Err(why), _) => Err(why.clone()),
        })
        .collect();
    if let Ok([timed, ..]) = cases.as_deref() {
        for _ in 0..env.repeats.timed_runs {
            for (l, timing) in loaded.iter().zip(&mut timings) {
                if let (Ok(l), Ok(runs)) = (l, &mut *timing) {
                    match l.time(&timed.packet, env.repeats.test_run_repeat) {
                        Ok(ns) => runs.push(ns),
                        Err(why) => *timing = Err(why),
                    }
                }
            }
        }
    }
    let sides = compilers
        .iter()
        .zip(builds)
        .zip(loaded.into_iter().zip(timings))
        .map(|((c, build), (loaded, ns_per_run))| SideResult {
            compiler: c.name(),
            build,
            kernel: loaded.map(|l| KernelFigures {
                verified_insns: l.info.verified_insns,
                xlated_insns: l.info.xlated_len / 8,
                jited_bytes: l.info.jited_len,
                stack_depth: l.stack_depth.clone(),
                ns_per_run,
            }),
        })
        .collect();
    Measurement {
        program: program.name,
        opt_level,
        case: cases.map_or_else(|why| why, |c| c[0].name.clone()),
        sides,
    }
}

/// The build figures of an object that was built.
fn built(
    env: &Env,
    program: &Program,
    object: &Path,
    cold_s: Vec<f64>,
    warm_s: Vec<f64>,
) -> Result<Built, String> {
    let object_bytes = std::fs::metadata(object)
        .map_err(|e| format!("no object {}: {e}", object.display()))?
        .len();
    let insns = match &env.objdump {
        Ok(tool) => bpf_objects::disassemble(tool, object, &[program.entry])
            .map(|d| d.sections.iter().map(|(_, n)| n).sum())
            .map_err(|(reason, _)| reason),
        Err(why) => Err(why.clone()),
    };
    Ok(Built {
        cold_s,
        warm_s,
        object_bytes,
        insns,
    })
}
