//! `./y.sh test [--only SUITE]... [--skip SUITE]...`: decides which suites
//! run (config.txt and the flags), builds the backend if it is stale, runs
//! the suites and ends with the `N passed, N failed, N skipped` line.

use crate::build;
use crate::config::{self, Entry};
use crate::known_failures::KnownFailures;
use crate::paths::Dirs;
use crate::report::Reporter;
use crate::suites::{self, Ctx};

/// What happens to one suite in this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    Run,
    Skip(String),
}

/// The suites of this run, in order. `only` (if any) picks suites whatever
/// config.txt says; otherwise config.txt's order and `# name` lines rule.
/// `skip` turns a suite into a skip. Unknown names are errors.
pub fn plan(
    entries: &[Entry],
    only: &[String],
    skip: &[String],
) -> Result<Vec<(&'static str, Plan)>, String> {
    let known = |name: &str, origin: &str| {
        suites::find(name).map(|s| s.name).ok_or_else(|| {
            format!(
                "{origin}: unknown suite `{name}` (known: {})",
                suites::names().join(", ")
            )
        })
    };
    for name in skip {
        known(name, "--skip")?;
    }
    let skipped = |name: &str| skip.iter().any(|s| s == name);
    let mut plan: Vec<(&'static str, Plan)> = Vec::new();
    if !only.is_empty() {
        for name in only {
            let name = known(name, "--only")?;
            if plan.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let what = if skipped(name) {
                Plan::Skip("--skip".to_string())
            } else {
                Plan::Run
            };
            plan.push((name, what));
        }
        return Ok(plan);
    }
    for entry in entries {
        let origin = format!("config.txt:{}", entry.line);
        let name = match known(&entry.name, &origin) {
            Ok(name) => name,
            // A one-word comment that is not a suite is just a comment.
            Err(_) if !entry.enabled => continue,
            Err(e) => return Err(e),
        };
        if plan.iter().any(|(n, _)| *n == name) {
            return Err(format!("{origin}: suite `{name}` is listed twice"));
        }
        let what = if !entry.enabled {
            Plan::Skip("disabled in config.txt".to_string())
        } else if skipped(name) {
            Plan::Skip("--skip".to_string())
        } else {
            Plan::Run
        };
        plan.push((name, what));
    }
    Ok(plan)
}

/// Returns the process exit status: 0 when nothing failed.
pub fn main(dirs: &Dirs, args: &[String]) -> Result<i32, String> {
    let mut only = Vec::new();
    let mut skip = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let list = match arg.as_str() {
            "--only" => &mut only,
            "--skip" => &mut skip,
            other => return Err(format!("test: unknown argument `{other}`")),
        };
        let name = args
            .next()
            .ok_or(format!("test: {arg} needs a suite name"))?;
        list.push(name.clone());
    }
    let entries = config::load(&dirs.root.join("config.txt"))?;
    let plan = plan(&entries, &only, &skip)?;

    let known = KnownFailures::load(&dirs.root.join("tests").join("known_failures.txt"))?;
    let mut r = Reporter::new().with_known_failures(known);
    let needs_backend = plan.iter().any(|(name, what)| {
        *what == Plan::Run && suites::find(name).is_some_and(|s| s.needs_backend)
    });
    let mut backend_error = None;
    if needs_backend && let Err(e) = build::ensure_built(dirs) {
        r.fail("build", "building the backend failed", e);
        backend_error = Some("the backend did not build");
    }

    let ctx = Ctx::new(dirs.clone());
    for (name, what) in plan {
        let suite = suites::find(name).expect("planned suites are known");
        match what {
            Plan::Skip(reason) => r.skip(name, reason),
            Plan::Run => match backend_error {
                Some(why) if suite.needs_backend => r.skip(name, why),
                _ => (suite.run)(&ctx, &mut r),
            },
        }
    }
    r.finish();
    Ok(if r.failed == 0 { 0 } else { 1 })
}
