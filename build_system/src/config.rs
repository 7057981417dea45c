//! Reads `config.txt`: the test suites `./y.sh test` runs, one per line, in
//! order. `#` starts a comment; a line that is only `# suite_name` disables
//! that suite (it is reported as skipped instead of silently vanishing).

use std::path::Path;

/// One suite named in `config.txt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub enabled: bool,
    /// 1-based line number, for error messages.
    pub line: usize,
}

/// Parses the text of `config.txt`. A commented line counts as a disabled
/// suite only when it holds a single word that looks like a suite name;
/// whether that name is a real suite is for the caller to decide.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if let Some(comment) = trimmed.strip_prefix('#') {
            let word = comment.trim();
            if is_suite_name(word) {
                entries.push(Entry {
                    name: word.to_string(),
                    enabled: false,
                    line,
                });
            }
            continue;
        }
        let content = trimmed.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        if !is_suite_name(content) {
            return Err(format!(
                "config.txt:{line}: expected one suite name, found `{content}`"
            ));
        }
        entries.push(Entry {
            name: content.to_string(),
            enabled: true,
            line,
        });
    }
    Ok(entries)
}

fn is_suite_name(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Reads and parses `config.txt` at `path`.
pub fn load(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text)
}
