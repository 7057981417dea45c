//! What one bench run found: per program and opt level, each compiler's
//! build and kernel figures (every repeated run kept), the figures the
//! report compares, and their ratios.

use super::stats;

/// One compiler's results for one program at one opt level.
pub struct SideResult {
    /// `ours`, `llvm` or `clang`.
    pub compiler: &'static str,
    /// The build figures, or why it did not build.
    pub build: Result<Built, String>,
    /// The kernel's figures, or why there are none (did not load, no
    /// kernel, not built).
    pub kernel: Result<KernelFigures, String>,
}

pub struct Built {
    pub cold_s: Vec<f64>,
    pub warm_s: Vec<f64>,
    pub object_bytes: u64,
    /// Instructions of the program and its subprograms (a 16-byte
    /// `ld_imm64` counts two, as the kernel counts it), or why unknown.
    pub insns: Result<usize, String>,
}

pub struct KernelFigures {
    pub verified_insns: u32,
    pub xlated_insns: u32,
    pub jited_bytes: u32,
    /// Bytes per function (the program first), or why unknown.
    pub stack_depth: Result<Vec<u32>, String>,
    /// ns/run of each timed run, or why it was not timed (a wrong
    /// verdict on the timed packet).
    pub ns_per_run: Result<Vec<f64>, String>,
}

/// All compilers' results for one program at one opt level.
pub struct Measurement {
    pub program: &'static str,
    pub opt_level: &'static str,
    /// The kernel-suite case whose packet was timed.
    pub case: String,
    pub sides: Vec<SideResult>,
}

impl Measurement {
    pub fn side(&self, compiler: &str) -> Option<&SideResult> {
        self.sides.iter().find(|s| s.compiler == compiler)
    }

    /// `ours / llvm` of `figure`, when both sides have it.
    pub fn ratio(&self, figure: &Figure) -> Option<f64> {
        let ours = (figure.values)(self.side("ours")?)?;
        let llvm = (figure.values)(self.side("llvm")?)?;
        stats::paired_ratio(&ours, &llvm)
    }
}

/// A compared figure: how to read it from a side's results.
pub struct Figure {
    /// The JSON key and SVG file name.
    pub key: &'static str,
    /// The table heading.
    pub title: &'static str,
    /// Every run's value, `None` when the side has no such figure.
    pub values: fn(&SideResult) -> Option<Vec<f64>>,
    /// Digits after the decimal point in tables.
    pub decimals: usize,
}

fn built(side: &SideResult) -> Option<&Built> {
    side.build.as_ref().ok()
}

fn kernel(side: &SideResult) -> Option<&KernelFigures> {
    side.kernel.as_ref().ok()
}

/// The figures compared, in table order; all are "lower is better".
pub const FIGURES: &[Figure] = &[
    Figure {
        key: "compile_cold_s",
        title: "cold compile (s)",
        values: |s| built(s).map(|b| b.cold_s.clone()).filter(|v| !v.is_empty()),
        decimals: 2,
    },
    Figure {
        key: "compile_warm_s",
        title: "warm compile (s)",
        values: |s| built(s).map(|b| b.warm_s.clone()).filter(|v| !v.is_empty()),
        decimals: 2,
    },
    Figure {
        key: "object_bytes",
        title: "object bytes",
        values: |s| built(s).map(|b| vec![b.object_bytes as f64]),
        decimals: 0,
    },
    Figure {
        key: "insns",
        title: "insns",
        values: |s| built(s)?.insns.as_ref().ok().map(|n| vec![*n as f64]),
        decimals: 0,
    },
    Figure {
        key: "verified_insns",
        title: "verified insns",
        values: |s| kernel(s).map(|k| vec![f64::from(k.verified_insns)]),
        decimals: 0,
    },
    Figure {
        key: "stack_bytes",
        title: "stack bytes (sum)",
        values: |s| {
            let depths = kernel(s)?.stack_depth.as_ref().ok()?;
            Some(vec![depths.iter().map(|d| f64::from(*d)).sum()])
        },
        decimals: 0,
    },
    Figure {
        key: "jited_bytes",
        title: "JIT bytes",
        values: |s| kernel(s).map(|k| vec![f64::from(k.jited_bytes)]),
        decimals: 0,
    },
    Figure {
        key: "ns_per_run",
        title: "ns/run",
        values: |s| kernel(s)?.ns_per_run.as_ref().ok().cloned(),
        decimals: 0,
    },
];

/// The median of a side's figure.
pub fn median_of(figure: &Figure, side: &SideResult) -> Option<f64> {
    (figure.values)(side).and_then(|v| stats::median(&v))
}

/// How often things are repeated in a run.
#[derive(Clone, Copy)]
pub struct Repeats {
    pub cold_builds: usize,
    pub warm_builds: usize,
    /// BPF_PROG_TEST_RUN calls timed per program.
    pub timed_runs: usize,
    /// Repetitions inside one BPF_PROG_TEST_RUN call.
    pub test_run_repeat: u32,
}

/// Everything one `./y.sh bench` run reports.
pub struct Report {
    pub machine: Vec<(&'static str, String)>,
    pub quick: bool,
    pub repeats: Repeats,
    /// Corpus entries skipped and other remarks.
    pub notes: Vec<String>,
    pub measurements: Vec<Measurement>,
    pub host_compiles: Vec<HostCompile>,
    pub vtables: Vec<VtableRow>,
}

/// Runs whose spread exceeds this share of their median get a warning.
const WIDE_SPREAD: f64 = 0.25;

/// A host program's debug compile time with both backends.
pub struct HostCompile {
    pub program: String,
    /// How it is built.
    pub how: String,
    /// Seconds of each run, or why there are none.
    pub ours_s: Result<Vec<f64>, String>,
    pub llvm_s: Result<Vec<f64>, String>,
}

impl HostCompile {
    /// `ours / llvm`, paired run by run.
    pub fn ratio(&self) -> Option<f64> {
        stats::paired_ratio(self.ours_s.as_ref().ok()?, self.llvm_s.as_ref().ok()?)
    }
}

/// One program in one vtable layout.
pub struct VtableRow {
    pub program: &'static str,
    /// `relative`, `absolute` or `absolute+RELR`.
    pub layout: &'static str,
    pub figures: Result<VtableFigures, String>,
}

/// Section sizes (bytes) and what the dynamic loader does.
pub struct VtableFigures {
    pub data_rel_ro: u64,
    pub rela_dyn: u64,
    pub relr_dyn: u64,
    pub rodata: u64,
    pub text: u64,
    pub file: u64,
    pub relative_relocs: u64,
    /// Median cycles the loader spent relocating.
    pub reloc_cycles: u64,
}

impl Report {
    /// One line per figure whose repeated runs spread widely.
    pub fn warnings(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for h in &self.host_compiles {
            for (side, runs) in [("ours", &h.ours_s), ("llvm", &h.llvm_s)] {
                if let Ok(values) = runs
                    && let Some(spread) = stats::spread(values)
                    && spread > WIDE_SPREAD
                {
                    lines.push(format!(
                        "warning: host {} {side} compile: runs spread {:.0}% of the median over {} runs",
                        h.program,
                        spread * 100.0,
                        values.len()
                    ));
                }
            }
        }
        for m in &self.measurements {
            for side in &m.sides {
                for figure in FIGURES {
                    let Some(values) = (figure.values)(side) else {
                        continue;
                    };
                    if let Some(spread) = stats::spread(&values)
                        && spread > WIDE_SPREAD
                    {
                        lines.push(format!(
                            "warning: {} O{} {} {}: runs spread {:.0}% of the median over {} runs",
                            m.program,
                            m.opt_level,
                            side.compiler,
                            figure.title,
                            spread * 100.0,
                            values.len()
                        ));
                    }
                }
            }
        }
        lines
    }
}
