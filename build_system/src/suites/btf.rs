//! The `btf` suite: a program with a BTF-defined map (`tests/btf/`) is
//! compiled with the backend for both byte orders; `bpftool btf dump`
//! must read its `.BTF` and find the program's FUNC, the map's DATASEC and
//! sanitised Rust type names; libbpf must load it (it refuses `.maps`
//! without BTF), and the loaded program's dump must show Rust source lines.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::bpf_objects::{self, Target};
use crate::bpf_pin;
use crate::kernel;
use crate::process;
use crate::report::Reporter;
use crate::rustc::Rustc;
use crate::suites::Ctx;

const SUITE: &str = "btf";
const SOURCE: &str = "tests/btf/map_counter.rs";
const PROGRAM: &str = "count_packets";
const BPFTOOL_TIME_LIMIT: Duration = Duration::from_secs(60);

/// What `bpftool btf dump file` must print for the object.
const EXPECTED_BTF: &[&str] = &[
    "FUNC 'count_packets' type_id=",
    "linkage=global",
    "FUNC 'bump' type_id=",
    "linkage=static",
    "'ctx' type_id=",
    "STRUCT 'ArrayMap' size=32 vlen=4",
    "UNION 'Option_u32_' size=8 vlen=2",
    "STRUCT '_u8_u16_' size=4 vlen=2",
    "VAR 'COUNTS' type_id=",
    "DATASEC '.maps' size=32 vlen=1",
    "DATASEC 'license' size=4 vlen=1",
];

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let rustc = Rustc::backend(&ctx.dirs);
    let source = Path::new(SOURCE);
    for target in [Target::Bpfel, Target::Bpfeb] {
        let prefix = format!("{SUITE}/{}", target.triple());
        let object = ctx
            .dirs
            .build
            .join("btf")
            .join(format!("{}.o", target.triple()));
        if let Err((reason, details)) = compile(&rustc, source, target, &object) {
            r.fail(&format!("{prefix}/compile"), reason, details);
            r.skip(&format!("{prefix}/dump"), "did not compile");
            if target == Target::Bpfel {
                r.skip(&format!("{prefix}/load"), "did not compile");
            }
            continue;
        }
        r.pass(&format!("{prefix}/compile"));
        r.check(&format!("{prefix}/dump"), check_dump(&object, EXPECTED_BTF));
        if target == Target::Bpfel {
            let name = format!("{prefix}/load");
            match bpf_objects::kernel_unavailable() {
                Some(why) => kernel::report_unavailable(r, &name, &why),
                None => r.check(&name, load(&object)),
            }
        }
    }
}

/// Compiles the program at `-Copt-level=2`, matching the panic strategy
/// the target's sysroot was built with (`immediate-abort` or `abort`).
fn compile(
    rustc: &Rustc,
    source: &Path,
    target: Target,
    object: &Path,
) -> Result<(), (String, String)> {
    match bpf_objects::compile(rustc, source, target, "2", object) {
        Err((_, details)) if details.contains("incompatible with `immediate-abort`") => {
            let args = ["-Zunstable-options", "-Cpanic=immediate-abort"].map(String::from);
            bpf_objects::compile_with_args(rustc, source, target, "2", object, &args).map(drop)
        }
        result => result.map(drop),
    }
}

/// `bpftool btf dump file` reads the object and shows each of `expected`.
pub fn check_dump(object: &Path, expected: &[&str]) -> Result<(), (String, String)> {
    let dump = bpftool(&["btf", "dump", "file"], object)?;
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|want| !dump.contains(want))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err((format!("BTF lacks {missing:?}"), dump))
    }
}

/// libbpf loads the object; the translated program shows source lines.
fn load(object: &Path) -> Result<(), (String, String)> {
    let pinned = bpf_pin::Pinned::load_all(object, bpf_pin::pin_dir(SUITE))?;
    let program = bpf_pin::pin_dir(SUITE).join(PROGRAM);
    let mut cmd = Command::new("bpftool");
    cmd.args(["prog", "dump", "xlated", "pinned"])
        .arg(&program)
        .arg("linum");
    let out = process::run_captured(&mut cmd, BPFTOOL_TIME_LIMIT).map_err(|e| (e, String::new()));
    drop(pinned);
    let out = out?;
    let want = "; bump(value, 1); [file:";
    if out.exit.success() && out.stdout.contains(want) {
        Ok(())
    } else {
        Err((
            format!("the loaded program's dump lacks the source line `{want}`"),
            format!("{}{}", out.stdout, out.stderr),
        ))
    }
}

fn bpftool(args: &[&str], object: &Path) -> Result<String, (String, String)> {
    let mut cmd = Command::new("bpftool");
    cmd.args(args).arg(object);
    let out =
        process::run_captured(&mut cmd, BPFTOOL_TIME_LIMIT).map_err(|e| (e, String::new()))?;
    if out.exit.success() {
        Ok(out.stdout)
    } else {
        Err((
            format!("{} failed ({})", process::describe(&cmd), out.exit),
            out.stderr,
        ))
    }
}
