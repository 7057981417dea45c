//! Suite `differential`: the pure functions of
//! `example/bpf/differential/funcs.rs`, compiled to eBPF by the backend and
//! run in the kernel with BPF_PROG_TEST_RUN, must give the answers the same
//! functions give on the host when built by rustc with LLVM, on
//! [`inputs::PER_FUNCTION`] generated operand pairs each.
//!
//! Every group of functions is one XDP program and one object per opt level;
//! a group the backend or the verifier refuses is split up to find the
//! functions at fault (`kernel_run`). One test per function and opt level:
//! `differential/opt<N>/<group>/<function>`.

mod host;
mod inputs;
mod kernel_run;
mod packet;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::bpf_objects::{self, Target};
use crate::kernel;
use crate::report::{Outcome, Reporter};
use crate::rustc::{self, Compile, CrateType, Rustc};
use crate::suites::Ctx;
use host::Group;
use kernel_run::Run;

const SUITE: &str = "differential";

/// The opt levels the eBPF objects are built at.
const OPT_LEVELS: [&str; 2] = ["0", "3"];

/// How long after the suite starts refused groups may still be split up to
/// find the functions at fault (see `kernel_run`); CI runs the suite on two
/// cores and it should stay within about two minutes.
const NARROWING_DOWN_UNTIL: Duration = Duration::from_secs(90);

/// An object built for one (opt level, group), or why it was not.
type Object = Result<PathBuf, (String, String)>;

fn source_dir() -> PathBuf {
    Path::new("example").join("bpf").join("differential")
}

fn test_name(opt: &str, group: &Group, op: &str) -> String {
    format!("{SUITE}/opt{opt}/{}/{op}", group.name)
}

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let out_dir = ctx.dirs.build.join(SUITE);
    let started = Instant::now();
    let host = match build_host(ctx, &out_dir) {
        Ok(host) => host,
        Err((reason, details)) => return r.fail(&format!("{SUITE}/host"), reason, details),
    };
    let groups = match host::list(&host) {
        Ok(groups) => groups,
        Err(e) => return r.fail(&format!("{SUITE}/host"), e, ""),
    };
    let backend = Rustc::backend(&ctx.dirs);
    // Functions listed as known failures are left out of their group's
    // object, so that the rest is tested without a search for the culprit.
    let included: Vec<Vec<Vec<usize>>> = OPT_LEVELS
        .iter()
        .map(|opt| {
            groups
                .iter()
                .map(|g| {
                    (0..g.ops.len())
                        .filter(|&op| !r.is_known_failure(&test_name(opt, g, &g.ops[op])))
                        .collect()
                })
                .collect()
        })
        .collect();
    let objects = build_objects(&backend, &groups, &included, &out_dir);
    let deadline = started + NARROWING_DOWN_UNTIL;
    let compiled = started.elapsed();
    let kernel = bpf_objects::kernel_unavailable();
    for (position, group) in groups.iter().enumerate() {
        let cases: Vec<Vec<[u128; 2]>> = group
            .ops
            .iter()
            .map(|op| inputs::operands(&group.name, op, group.width))
            .collect();
        let mut questions = Vec::new();
        for (op, pairs) in cases.iter().enumerate() {
            for &pair in pairs {
                packet::push(&mut questions, group.index, op as u8, pair);
            }
        }
        let answers = host::answer(&host, &questions);
        for ((opt, built), included) in OPT_LEVELS.iter().zip(&objects).zip(&included) {
            let object = &built[position];
            let included = &included[position];
            let outcomes = match (&answers, &kernel, object) {
                (Err(e), _, _) => group_failure(opt, group, "the host reference failed", e),
                // Without a kernel, compile errors are still worth a failure
                // (though not narrowed down to functions).
                (_, Some(_), Err((reason, details))) => group_failure(opt, group, reason, details),
                (_, Some(why), Ok(_)) => {
                    let outcome = kernel::unavailable_outcome(kernel::kernel_required(), why);
                    vec![outcome; group.ops.len()]
                }
                (Ok(answers), None, _) => Run {
                    opt,
                    group,
                    cases: &cases,
                    questions: &questions,
                    answers,
                    backend: &backend,
                    out_dir: &out_dir,
                    deadline,
                }
                .outcomes(object, included),
            };
            for (op, outcome) in group.ops.iter().zip(outcomes) {
                r.record(&test_name(opt, group, op), outcome);
            }
        }
    }
    r.info(&format!(
        "{SUITE}: host and {} objects built in {:.1} s, {} inputs per function, {:.1} s in all",
        groups.len() * OPT_LEVELS.len(),
        compiled.as_secs_f64(),
        inputs::PER_FUNCTION,
        started.elapsed().as_secs_f64()
    ));
}

/// One outcome per function of `group` at `opt`, all failed for the same
/// reason; the details are shown once, under the first function.
fn group_failure(opt: &str, group: &Group, reason: &str, details: &str) -> Vec<Outcome> {
    let first = test_name(opt, group, &group.ops[0]);
    let mut outcomes = vec![Outcome::Failed(reason.to_string(), details.to_string())];
    outcomes.resize(
        group.ops.len(),
        Outcome::Failed(reason.to_string(), format!("details under {first}")),
    );
    outcomes
}

/// Builds `host_main.rs` with LLVM at -Copt-level=2.
fn build_host(ctx: &Ctx, out_dir: &Path) -> Result<PathBuf, (String, String)> {
    let llvm = Rustc::llvm(&ctx.dirs);
    let compile =
        Compile::new(&source_dir().join("host_main.rs"), CrateType::Bin, out_dir).opt_level("2");
    let out = compile.run(&llvm).map_err(|e| (e, String::new()))?;
    if !out.exit.success() {
        return Err(rustc::compile_failure(&llvm, &compile, &out));
    }
    Ok(compile.output)
}

/// Compiles the object of every group at every opt level with the functions
/// `included[opt level][position in groups]`, as many at a time as there are
/// cores; indexed like `included`.
fn build_objects(
    backend: &Rustc,
    groups: &[Group],
    included: &[Vec<Vec<usize>>],
    out_dir: &Path,
) -> Vec<Vec<Object>> {
    let jobs: Vec<(&str, &Group, &[usize])> = OPT_LEVELS
        .iter()
        .zip(included)
        .flat_map(|(opt, inc)| groups.iter().zip(inc).map(move |(g, i)| (*opt, g, &i[..])))
        .collect();
    let done = on_all_cores(&jobs, |&(opt, group, ops)| {
        let subset = (ops.len() < group.ops.len()).then_some(ops);
        build_object(backend, out_dir, opt, group, subset)
    });
    let mut objects = done.into_iter();
    OPT_LEVELS
        .iter()
        .map(|_| objects.by_ref().take(groups.len()).collect())
        .collect()
}

/// Compiles `bpf_main.rs` with `--cfg group="NAME"` with the backend into
/// `opt<N>/<name>/bpf_main.o`; with `Some(ops)`, only those functions of
/// the group (`--cfg subset`, see `funcs.rs`) into
/// `opt<N>/<name>.<first>-<end>/bpf_main.o`. Every object has a directory of
/// its own, as rustc's intermediate files are named after the crate.
fn build_object(
    backend: &Rustc,
    out_dir: &Path,
    opt: &str,
    group: &Group,
    subset: Option<&[usize]>,
) -> Object {
    let mut cfg = vec![format!("--cfg=group=\"{}\"", group.name)];
    let dir = match subset {
        None => group.name.clone(),
        Some(ops) => {
            cfg.push("--cfg=subset".to_string());
            cfg.extend(ops.iter().map(|&op| format!("--cfg={}", group.ops[op])));
            let first = ops.first().copied().unwrap_or(0);
            let end = ops.last().map_or(0, |last| last + 1);
            format!("{}.{first}-{end}", group.name)
        }
    };
    let output = out_dir
        .join(format!("opt{opt}"))
        .join(dir)
        .join("bpf_main.o");
    let source = source_dir().join("bpf_main.rs");
    match bpf_objects::compile_with_args(backend, &source, Target::Bpfel, opt, &output, &cfg) {
        Ok(_) => Ok(output),
        Err((reason, details)) => Err((
            format!("{} at -Copt-level={opt}: {reason}", group.name),
            details,
        )),
    }
}

/// `items.iter().map(f)`, on as many threads as there are cores.
fn on_all_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return done;
                        };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker thread panicked"))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
