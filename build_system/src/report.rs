//! Test reporting: one `test NAME ... ok|FAILED|skipped (why)` line per test,
//! failure details indented below it, and the closing
//! `N passed, N failed, N skipped` line.

use crate::known_failures::KnownFailures;

/// What became of one test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Reason, then details (e.g. compiler stderr) shown below the line.
    Failed(String, String),
    Skipped(String),
}

/// Collects and prints test results as they come.
pub struct Reporter {
    /// Off only for the selftest's own sample reporters.
    print: bool,
    known: KnownFailures,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Names of the failed tests, repeated before the closing line.
    pub failures: Vec<String>,
}

impl Reporter {
    pub fn new() -> Reporter {
        Reporter {
            print: true,
            known: KnownFailures::default(),
            passed: 0,
            failed: 0,
            skipped: 0,
            failures: Vec::new(),
        }
    }

    /// A reporter that counts without printing.
    pub fn silent() -> Reporter {
        Reporter {
            print: false,
            ..Reporter::new()
        }
    }

    /// Whether `name` is listed as a known failure.
    pub fn is_known_failure(&self, name: &str) -> bool {
        self.known.reason(name).is_some()
    }

    /// Treats the tests of `known` as expected failures.
    pub fn with_known_failures(self, known: KnownFailures) -> Reporter {
        Reporter { known, ..self }
    }

    pub fn record(&mut self, name: &str, outcome: Outcome) {
        let outcome = match (outcome, self.known.reason(name)) {
            (Outcome::Failed(_, details), Some(reason)) => {
                if self.print && !details.trim().is_empty() {
                    for line in details.trim_end().lines() {
                        println!("    | {line}");
                    }
                }
                Outcome::Skipped(format!("known failure: {reason}"))
            }
            (Outcome::Passed, Some(_)) => Outcome::Failed(
                "listed in tests/known_failures.txt but passed".into(),
                "remove its line from the list".into(),
            ),
            (outcome, _) => outcome,
        };
        let print = self.print;
        let say = |line: String| {
            if print {
                println!("{line}");
            }
        };
        match outcome {
            Outcome::Passed => {
                self.passed += 1;
                say(format!("test {name} ... ok"));
            }
            Outcome::Failed(reason, details) => {
                self.failed += 1;
                self.failures.push(name.to_string());
                say(format!("test {name} ... FAILED"));
                say(format!("    {reason}"));
                for line in details.trim_end().lines() {
                    say(format!("    | {line}"));
                }
            }
            Outcome::Skipped(reason) => {
                self.skipped += 1;
                say(format!("test {name} ... skipped ({reason})"));
            }
        }
    }

    pub fn pass(&mut self, name: &str) {
        self.record(name, Outcome::Passed);
    }

    pub fn fail(&mut self, name: &str, reason: impl Into<String>, details: impl Into<String>) {
        self.record(name, Outcome::Failed(reason.into(), details.into()));
    }

    pub fn skip(&mut self, name: &str, reason: impl Into<String>) {
        self.record(name, Outcome::Skipped(reason.into()));
    }

    /// Records `Ok` as a pass and `Err((reason, details))` as a failure.
    pub fn check(&mut self, name: &str, result: Result<(), (String, String)>) {
        match result {
            Ok(()) => self.pass(name),
            Err((reason, details)) => self.fail(name, reason, details),
        }
    }

    /// A line of information that is not a test result (timings etc.).
    pub fn info(&self, message: &str) {
        println!("info: {message}");
    }

    /// Prints the list of failures and the closing line.
    pub fn finish(&self) {
        if !self.failures.is_empty() {
            println!();
            println!("failures:");
            for name in &self.failures {
                println!("    {name}");
            }
        }
        println!();
        println!("{}", closing_line(self.passed, self.failed, self.skipped));
    }
}

/// The last line of `./y.sh test`, read by CI.
pub fn closing_line(passed: usize, failed: usize, skipped: usize) -> String {
    format!("{passed} passed, {failed} failed, {skipped} skipped")
}
