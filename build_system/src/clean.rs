//! `./y.sh clean [--all]`: removes `build/` and `dist/`; with `--all` also
//! the backend's cargo `target/` (a full rebuild takes minutes).

use std::path::Path;

use crate::paths::Dirs;

pub fn main(dirs: &Dirs, args: &[String]) -> Result<(), String> {
    let all = match args {
        [] => false,
        [flag] if flag == "--all" => true,
        _ => return Err(format!("clean: unexpected arguments {args:?} (only --all)")),
    };
    remove(dirs, &dirs.build)?;
    remove(dirs, &dirs.dist)?;
    if all {
        remove(dirs, &dirs.root.join("target"))?;
    }
    Ok(())
}

fn remove(dirs: &Dirs, dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    std::fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    println!("clean: removed {}", dirs.relative(dir).display());
    Ok(())
}
