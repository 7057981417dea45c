//! Suite `helpers`: `library/bpf_builtins` and the kernel functions it
//! declares.
//!
//! - `helpers/generated`: `library/bpf_builtins/src/helpers.rs` is what
//!   `./y.sh gen-helpers` writes from `/usr/include/linux/bpf.h` now.
//! - `helpers/library`: the crate and its proc-macro crate build.
//! - `helpers/errors/<file>`: misuses in `library/bpf_builtins/tests/errors/`
//!   are clean compile or link errors with the expected text.
//! - `helpers/<program>/O<N>/{compile,objdump,load,<case>}` for the programs
//!   of [`cases::PROGRAMS`] at every opt level: helper calls are `call N`
//!   and no `bpf_builtins.*` name reaches the object; classic packet loads
//!   are `BPF_ABS`/`BPF_IND`; kfuncs are `.ksyms` externs in BTF; each
//!   object loads with libbpf and its cases run with BPF_PROG_TEST_RUN.

mod cases;
mod library;

use std::path::Path;

use crate::bpf_objects::{self, Target};
use crate::bpf_sys::Prog;
use crate::gen_helpers;
use crate::kernel;
use crate::report::{Outcome, Reporter};
use crate::rustc::Rustc;
use crate::suites::Ctx;
use cases::{Program, Run};

const SUITE: &str = "helpers";
/// Programs that must not compile, relative to the root.
const ERRORS: &str = "library/bpf_builtins/tests/errors";

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    r.record(&format!("{SUITE}/generated"), check_generated(ctx, r));
    let library = match library::build(&ctx.dirs, Target::Bpfel) {
        Ok(library) => {
            r.pass(&format!("{SUITE}/library"));
            library
        }
        Err((reason, details)) => {
            r.fail(&format!("{SUITE}/library"), reason, details);
            return;
        }
    };
    let rustc = Rustc::backend(&ctx.dirs);
    check_errors(ctx, r, &rustc, &library);
    let objdump = bpf_objects::llvm_objdump();
    let unavailable = bpf_objects::kernel_unavailable();
    for program in cases::PROGRAMS {
        for opt_level in bpf_objects::OPT_LEVELS {
            let prefix = format!("{SUITE}/{}/O{opt_level}", program.name);
            let source = bpf_objects::example_source(program.name);
            let object = ctx
                .dirs
                .build
                .join(SUITE)
                .join(format!("{}-O{opt_level}.o", program.name));
            let compiled = bpf_objects::compile_with_args(
                &rustc,
                &source,
                Target::Bpfel,
                opt_level,
                &object,
                &library.args(),
            );
            let built = compiled
                .map(drop)
                .and_then(|()| check_object(&object, program, &objdump));
            let ok = built.is_ok();
            r.check(&format!("{prefix}/build"), built);
            let names: Vec<String> = std::iter::once("load".to_string())
                .chain(program.runs().iter().map(|run| run.name.clone()))
                .collect();
            if !ok {
                for name in &names {
                    r.skip(&format!("{prefix}/{name}"), "did not build");
                }
                continue;
            }
            if let Some(why) = &unavailable {
                for name in &names {
                    kernel::report_unavailable(r, &format!("{prefix}/{name}"), why);
                }
                continue;
            }
            load_and_run(r, program, &object, opt_level, &prefix);
        }
    }
}

/// Each program of [`ERRORS`] fails to compile with a clean error (no
/// compiler crash) holding the text of its `//~ ERROR text` comment.
fn check_errors(ctx: &Ctx, r: &mut Reporter, rustc: &Rustc, library: &library::Library) {
    let dir = ctx.dirs.root.join(ERRORS);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        r.fail(
            &format!("{SUITE}/errors"),
            format!("no programs in {}", dir.display()),
            String::new(),
        );
    }
    for file in files {
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        let name = format!("{SUITE}/errors/{stem}");
        let source = Path::new(ERRORS).join(file.file_name().unwrap_or_default());
        let output = ctx.dirs.build.join(SUITE).join(format!("{stem}.o"));
        let expected: Vec<String> = std::fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| Some(l.split_once("//~")?.1.split_once("ERROR ")?.1.to_string()))
            .collect();
        let args = library.args();
        let result =
            bpf_objects::compile_with_args(rustc, &source, Target::Bpfel, "2", &output, &args);
        let outcome = match result {
            Ok(_) => Outcome::Failed("compiled, but must not".into(), String::new()),
            Err((reason, details)) if reason.contains("crashed") => {
                Outcome::Failed(reason, details)
            }
            Err((_, details)) if expected.is_empty() => Outcome::Failed(
                "the program names no expected error (`//~ ERROR text`)".into(),
                details,
            ),
            Err((_, details)) => match expected.iter().find(|e| !details.contains(e.as_str())) {
                Some(missing) => Outcome::Failed(format!("no error `{missing}`"), details),
                None => Outcome::Passed,
            },
        };
        r.record(&name, outcome);
    }
}

/// The committed helper list equals a fresh generation.
fn check_generated(ctx: &Ctx, r: &Reporter) -> Outcome {
    let header = Path::new(gen_helpers::UAPI_HEADER);
    if !header.is_file() {
        return Outcome::Skipped(format!(
            "{} is missing (install linux-libc-dev)",
            header.display()
        ));
    }
    if let Some(note) = older_than_kernel() {
        r.info(&format!("{SUITE}: {note}"));
    }
    let fresh = match gen_helpers::generate(header) {
        Ok(fresh) => fresh,
        Err(e) => return Outcome::Failed(e, String::new()),
    };
    let path = gen_helpers::output_path(&ctx.dirs);
    let committed = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            return Outcome::Failed(
                format!("cannot read {}: {e}", path.display()),
                String::new(),
            );
        }
    };
    if committed == fresh {
        return Outcome::Passed;
    }
    Outcome::Failed(
        format!(
            "{} differs from what ./y.sh gen-helpers writes ({} helpers, {} committed)",
            path.display(),
            gen_helpers::count(&fresh),
            gen_helpers::count(&committed)
        ),
        "run ./y.sh gen-helpers".into(),
    )
}

/// A note when the UAPI headers are from an older Linux than the running
/// kernel (whose newer helpers are then not declared).
fn older_than_kernel() -> Option<String> {
    let version_h = std::fs::read_to_string("/usr/include/linux/version.h").ok()?;
    let field = |name: &str| -> Option<u32> {
        version_h
            .lines()
            .find_map(|l| l.strip_prefix(&format!("#define {name} ")))?
            .trim()
            .parse()
            .ok()
    };
    let headers = (
        field("LINUX_VERSION_MAJOR")?,
        field("LINUX_VERSION_PATCHLEVEL")?,
    );
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
    let mut parts = release
        .trim()
        .split(['.', '-'])
        .map(|p| p.parse::<u32>().ok());
    let running = (parts.next()??, parts.next()??);
    (headers < running).then(|| {
        format!(
            "the UAPI bpf.h is from Linux {}.{}, older than the running kernel {}.{}: \
             helpers added since are not declared",
            headers.0, headers.1, running.0, running.1
        )
    })
}

/// What the object must show: the program's instructions in the
/// disassembly, and no reserved `bpf_builtins.` name.
fn check_object(
    object: &Path,
    program: &Program,
    objdump: &Result<std::path::PathBuf, String>,
) -> Result<(), (String, String)> {
    let bytes = std::fs::read(object).map_err(|e| {
        (
            format!("cannot read {}: {e}", object.display()),
            String::new(),
        )
    })?;
    if bytes.windows(13).any(|w| w == b"bpf_builtins.") {
        return Err((
            "a reserved `bpf_builtins.` name reached the object".into(),
            String::new(),
        ));
    }
    let tool = objdump.as_ref().map_err(|e| (e.clone(), String::new()))?;
    let listing = bpf_objects::disassemble(tool, object, &[program.name])?;
    let missing: Vec<&str> = program
        .disassembly
        .iter()
        .copied()
        .filter(|want| !listing.text.contains(want))
        .collect();
    if !missing.is_empty() {
        return Err((
            format!("the disassembly lacks {missing:?}"),
            crate::process::clip(&listing.text, 60, 20),
        ));
    }
    (program.check)(object)
}

/// Loads the object and runs the program's cases.
fn load_and_run(r: &mut Reporter, program: &Program, object: &Path, opt_level: &str, prefix: &str) {
    let runs = program.runs();
    let loaded = bpf_objects::load(object, &format!("{SUITE}_{}_O{opt_level}", program.name))
        .and_then(|pinned| {
            let prog = pinned
                .program(program.name)
                .map_err(|e| (e, String::new()))?;
            Ok((pinned, prog))
        });
    let (_pinned, prog) = match loaded {
        Ok(loaded) => loaded,
        Err((reason, details)) => {
            r.fail(&format!("{prefix}/load"), reason, details);
            for run in &runs {
                r.skip(&format!("{prefix}/{}", run.name), "load failed");
            }
            return;
        }
    };
    r.pass(&format!("{prefix}/load"));
    for run in &runs {
        r.record(&format!("{prefix}/{}", run.name), run_case(&prog, run));
    }
}

fn run_case(prog: &Prog, run: &Run) -> Outcome {
    let result = match &run.input {
        cases::Input::Packet(packet) => bpf_objects::run(prog, packet, 1).map(|r| r.retval),
        cases::Input::Context(bytes) => {
            let mut ctx = bytes.clone();
            prog.test_run_ctx(&mut ctx, 0, 0)
        }
    };
    match result {
        Ok(retval) if retval == run.expect => Outcome::Passed,
        Ok(retval) => Outcome::Failed(
            format!("returned {retval:#x}, expected {:#x}", run.expect),
            String::new(),
        ),
        Err(e) => Outcome::Failed(e, String::new()),
    }
}
