//! `tests/known_failures.txt`: tests that fail today for a known reason,
//! one per line as `TEST-NAME  reason`. Such a failure is reported as a
//! skip naming the reason (its details still printed); a listed test that
//! passes is a failure, so the list only ever shrinks with the fixes.

use std::collections::HashMap;
use std::path::Path;

/// The listed tests and why each fails.
#[derive(Default)]
pub struct KnownFailures {
    reasons: HashMap<String, String>,
}

impl KnownFailures {
    /// Reads the list; a missing file is an empty list.
    pub fn load(path: &Path) -> Result<KnownFailures, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        Ok(KnownFailures::parse(&text))
    }

    /// Parses `TEST-NAME reason` lines; `#` starts a comment line.
    pub fn parse(text: &str) -> KnownFailures {
        let reasons = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| match l.split_once(char::is_whitespace) {
                Some((name, reason)) => (name.to_string(), reason.trim().to_string()),
                None => (l.to_string(), "no reason given".to_string()),
            })
            .collect();
        KnownFailures { reasons }
    }

    /// Why `name` is expected to fail, if it is listed.
    pub fn reason(&self, name: &str) -> Option<&str> {
        self.reasons.get(name).map(String::as_str)
    }
}
