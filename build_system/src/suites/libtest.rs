//! Reading libtest's output (its default, human format): each test's
//! outcome, the `test result:` totals, and a failed test's captured output.

use crate::process;

/// `(name, passed)` of each test libtest reports as ok or FAILED; names are
/// made one word (doctest names have spaces) for `tests/known_failures.txt`.
pub fn outcomes(stdout: &str) -> Vec<(String, bool)> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, verdict) = rest.rsplit_once(" ... ")?;
            let passed = match verdict.trim() {
                "ok" => true,
                "FAILED" => false,
                _ => return None,
            };
            Some((
                name.split_whitespace().collect::<Vec<_>>().join("_"),
                passed,
            ))
        })
        .collect()
}

/// libtest's captured output of a failed test (its `---- NAME ... ----`
/// block), or a note that there is none.
pub fn failure_details(stdout: &str, test: &str) -> String {
    let mut block = Vec::new();
    let mut inside = false;
    for line in stdout.lines() {
        if let Some(header) = line.strip_prefix("---- ") {
            let name = header.split(" std").next().unwrap_or_default();
            inside = name.split_whitespace().collect::<Vec<_>>().join("_") == test;
            continue;
        }
        if inside {
            if line.starts_with("failures:") {
                break;
            }
            block.push(line);
        }
    }
    if block.is_empty() {
        "no captured output".to_string()
    } else {
        process::clip(&block.join("\n"), 20, 20)
    }
}

/// What libtest's `test result:` lines add up to.
#[derive(Default, Debug, PartialEq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
    /// Harness runs that reported totals.
    pub binaries: u64,
}

impl Counts {
    pub fn of(stdout: &str) -> Counts {
        let mut counts = Counts::default();
        for line in stdout.lines() {
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            counts.binaries += 1;
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                let (Some(n), Some(what)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(n) = n.parse::<u64>() else { continue };
                match what {
                    "passed" => counts.passed += n,
                    "failed" => counts.failed += n,
                    "ignored" => counts.ignored += n,
                    _ => {}
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::{Counts, outcomes};

    #[test]
    fn reads_outcomes() {
        let out = "test a::b ... ok\n\
                   test src/lib.rs - (line 22) ... FAILED\n\
                   test c ... ignored\n\
                   test result: FAILED. 1 passed; 1 failed; 1 ignored\n";
        assert_eq!(
            outcomes(out),
            vec![
                ("a::b".to_string(), true),
                ("src/lib.rs_-_(line_22)".to_string(), false)
            ]
        );
    }

    #[test]
    fn adds_up_result_lines() {
        let out = "running 3 tests\n\
                   test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.1s\n\
                   test result: FAILED. 7 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.0s\n";
        assert_eq!(
            Counts::of(out),
            Counts {
                passed: 10,
                failed: 2,
                ignored: 1,
                binaries: 2
            }
        );
    }
}
