//! Suite `build_system_selftest`: checks of the build system's own logic,
//! run in-process: the config parser, suite selection, the closing line CI
//! reads, ui annotations, the skip-or-fail rule for kernel tests, the diff,
//! and that every file naming the pinned toolchain names the same one.

use std::fmt::Debug;

use crate::config::{self, Entry};
use crate::kernel;
use crate::paths;
use crate::process::{self, Exit};
use crate::report::{self, Outcome, Reporter};
use crate::rustc::CrateType;
use crate::suites::{Ctx, ui};
use crate::test::{self, Plan};

type Check = fn(&Ctx) -> Result<(), String>;

const CHECKS: &[(&str, Check)] = &[
    ("config_parser", config_parser),
    ("suite_selection", suite_selection),
    ("closing_line", closing_line),
    ("ui_annotations", ui_annotations),
    ("kernel_skip_or_fail", kernel_skip_or_fail),
    ("short_diff", short_diff),
    ("toolchain_pin", toolchain_pin),
];

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    for (name, check) in CHECKS {
        let name = format!("build_system_selftest/{name}");
        r.check(&name, check(ctx).map_err(|e| (e, String::new())));
    }
}

fn expect_eq<T: PartialEq + Debug>(what: &str, actual: T, expected: T) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: got {actual:?}, expected {expected:?}"))
    }
}

fn entry(name: &str, enabled: bool, line: usize) -> Entry {
    Entry {
        name: name.to_string(),
        enabled,
        line,
    }
}

fn config_parser(_: &Ctx) -> Result<(), String> {
    let text = "# Suites, one per line.\n\
                \n\
                alpha\n\
                # beta\n\
                gamma   # trailing comment\n\
                #delta\n\
                # not a suite name\n";
    let parsed = config::parse(text)?;
    expect_eq(
        "parsed entries",
        parsed,
        vec![
            entry("alpha", true, 3),
            entry("beta", false, 4),
            entry("gamma", true, 5),
            entry("delta", false, 6),
        ],
    )?;
    let bad = config::parse("alpha\ntwo words\n");
    expect_eq(
        "error for a line with two words",
        bad.as_ref().map_err(|e| e.starts_with("config.txt:2:")),
        Err(true),
    )
}

fn suite_selection(_: &Ctx) -> Result<(), String> {
    let entries = vec![
        entry("build_system_selftest", true, 1),
        entry("ui", false, 2),
        entry("mini_core_hello_world", true, 3),
    ];
    let none: &[String] = &[];
    let skip = ["mini_core_hello_world".to_string()];
    let only = ["ui".to_string()];
    let disabled = Plan::Skip("disabled in config.txt".to_string());
    expect_eq(
        "plan from config.txt",
        test::plan(&entries, none, none)?,
        vec![
            ("build_system_selftest", Plan::Run),
            ("ui", disabled.clone()),
            ("mini_core_hello_world", Plan::Run),
        ],
    )?;
    expect_eq(
        "plan with --skip",
        test::plan(&entries, none, &skip)?,
        vec![
            ("build_system_selftest", Plan::Run),
            ("ui", disabled),
            ("mini_core_hello_world", Plan::Skip("--skip".to_string())),
        ],
    )?;
    expect_eq(
        "plan with --only (overrides config.txt)",
        test::plan(&entries, &only, none)?,
        vec![("ui", Plan::Run)],
    )?;
    let unknown = ["no_such_suite".to_string()];
    expect_eq(
        "--only of an unknown suite is an error",
        test::plan(&entries, &unknown, none).is_err(),
        true,
    )?;
    expect_eq(
        "an unknown suite in config.txt is an error",
        test::plan(&[entry("no_such_suite", true, 1)], none, none).is_err(),
        true,
    )
}

fn closing_line(_: &Ctx) -> Result<(), String> {
    expect_eq(
        "closing line",
        report::closing_line(12, 0, 3).as_str(),
        "12 passed, 0 failed, 3 skipped",
    )?;
    let mut r = Reporter::silent();
    r.record("x", Outcome::Passed);
    r.record("y", Outcome::Skipped("why".to_string()));
    r.record("z", Outcome::Failed("bad".to_string(), String::new()));
    expect_eq(
        "counts after three records",
        (r.passed, r.failed, r.skipped, r.failures.clone()),
        (1, 1, 1, vec!["z".to_string()]),
    )?;
    Ok(())
}

fn ui_annotations(_: &Ctx) -> Result<(), String> {
    let text = "//@ crate-type: bin\n\
                fn main() {\n\
                \x20   bad(); //~ ERROR cannot do that\n\
                }\n\
                //~^^ ERROR also this\n";
    let expect = ui::parse(text)?;
    expect_eq("crate type", expect.crate_type, CrateType::Bin)?;
    expect_eq(
        "annotations",
        expect.errors.clone(),
        vec![
            ui::Annotation {
                line: 3,
                text: "cannot do that".to_string(),
            },
            ui::Annotation {
                line: 3,
                text: "also this".to_string(),
            },
        ],
    )?;
    expect_eq(
        "unknown annotation kind is rejected",
        ui::parse("x //~ WARNX y\n").is_err(),
        true,
    )?;
    let file = "tests/ui/t.rs";
    let good = "error: cannot do that and also this\n --> tests/ui/t.rs:3:5\n";
    expect_eq(
        "matching diagnostics pass",
        ui::judge(file, &expect, Exit::Code(1), good),
        Ok(()),
    )?;
    let verdicts = [
        ("success", Exit::Code(0), good),
        ("exit 101", Exit::Code(101), good),
        (
            "wrong line",
            Exit::Code(1),
            "error: cannot do that, also this\n --> tests/ui/t.rs:4:1\n",
        ),
        (
            "missing text",
            Exit::Code(1),
            "error: cannot do that\n --> tests/ui/t.rs:3:5\n",
        ),
        (
            "ICE",
            Exit::Code(1),
            "error: internal compiler error: also this cannot do that\n --> tests/ui/t.rs:3:5\n",
        ),
    ];
    for (case, exit, stderr) in verdicts {
        expect_eq(
            &format!("{case} fails"),
            ui::judge(file, &expect, exit, stderr).is_err(),
            true,
        )?;
    }
    Ok(())
}

fn kernel_skip_or_fail(_: &Ctx) -> Result<(), String> {
    let skipped = matches!(
        kernel::unavailable_outcome(false, "no CAP_BPF"),
        Outcome::Skipped(ref why) if why.contains("no CAP_BPF")
    );
    let failed = matches!(
        kernel::unavailable_outcome(true, "no CAP_BPF"),
        Outcome::Failed(ref why, _) if why.contains("no CAP_BPF")
    );
    expect_eq("skipped when not required", skipped, true)?;
    expect_eq("failed when required", failed, true)
}

fn short_diff(_: &Ctx) -> Result<(), String> {
    expect_eq(
        "equal texts",
        process::short_diff("a", "x\n", "b", "x\n", 5),
        None,
    )?;
    let diff = process::short_diff("llvm", "same\nold\n", "backend", "same\nnew\n", 5)
        .ok_or("different texts gave no diff")?;
    expect_eq(
        "diff",
        diff.as_str(),
        "--- llvm\n+++ backend\n@@ line 2 @@\n same\n-old\n+new\n",
    )?;
    expect_eq(
        "signal display",
        Exit::Signal(6).to_string().as_str(),
        "signal 6 (SIGABRT)",
    )
}

fn toolchain_pin(ctx: &Ctx) -> Result<(), String> {
    for file in ["rust-toolchain", "y.sh"] {
        let path = ctx.dirs.root.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !text.contains(&format!("\"{}\"", paths::TOOLCHAIN)) {
            return Err(format!("{file} does not pin \"{}\"", paths::TOOLCHAIN));
        }
    }
    Ok(())
}
