//! The test suites `./y.sh test` knows, by the names `config.txt` uses, and
//! the context they share (directories, rlibs already built in this run).

pub mod aya;
pub mod backend_unit;
pub mod bench_quick;
pub mod bpf_errors;
pub mod btf;
pub mod core_bitfields;
pub mod core_relocation;
pub mod core_targets;
pub mod crates;
pub mod debuginfo;
pub mod differential;
pub mod helpers;
pub mod kernel;
pub mod libtest;
pub mod maps;
pub mod mini_core;
pub mod progtypes;
pub mod selftest;
pub mod std_example;
pub mod sysroot_tests;
pub mod ui;
pub mod vtables;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::paths::Dirs;
use crate::report::Reporter;
use crate::rustc::{self, Rustc};

/// One suite: a function that reports its own tests.
pub struct Suite {
    pub name: &'static str,
    /// Whether it needs `dist/` (the built backend) to be current.
    pub needs_backend: bool,
    pub run: fn(&Ctx, &mut Reporter),
}

pub const SUITES: &[Suite] = &[
    Suite {
        name: "build_system_selftest",
        needs_backend: false,
        run: selftest::run,
    },
    Suite {
        name: "backend_unit",
        needs_backend: false,
        run: backend_unit::run,
    },
    Suite {
        name: "mini_core_hello_world",
        needs_backend: true,
        run: mini_core::run,
    },
    Suite {
        name: "std_example",
        needs_backend: true,
        run: std_example::run,
    },
    Suite {
        name: "debuginfo",
        needs_backend: true,
        run: debuginfo::run,
    },
    Suite {
        name: "vtables",
        needs_backend: true,
        run: vtables::run,
    },
    Suite {
        name: "crates",
        needs_backend: true,
        run: crates::run_suite,
    },
    Suite {
        name: "sysroot_tests",
        needs_backend: true,
        run: sysroot_tests::run,
    },
    Suite {
        name: "ui",
        needs_backend: true,
        run: ui::run,
    },
    Suite {
        name: "kernel",
        needs_backend: true,
        run: kernel::run,
    },
    Suite {
        name: "differential",
        needs_backend: true,
        run: differential::run,
    },
    Suite {
        name: "bpf_errors",
        needs_backend: true,
        run: bpf_errors::run,
    },
    Suite {
        name: "btf",
        needs_backend: true,
        run: btf::run,
    },
    Suite {
        name: "core",
        needs_backend: true,
        run: core_relocation::run,
    },
    Suite {
        name: "bench_quick",
        needs_backend: true,
        run: bench_quick::run,
    },
    Suite {
        name: "maps",
        needs_backend: true,
        run: maps::run,
    },
    Suite {
        name: "progtypes",
        needs_backend: true,
        run: progtypes::run,
    },
    Suite {
        name: "helpers",
        needs_backend: true,
        run: helpers::run,
    },
    Suite {
        name: "aya",
        needs_backend: true,
        run: aya::run,
    },
];

pub fn find(name: &str) -> Option<&'static Suite> {
    SUITES.iter().find(|s| s.name == name)
}

pub fn names() -> Vec<&'static str> {
    SUITES.iter().map(|s| s.name).collect()
}

/// A built `mini_core` rlib, or why it did not build.
pub type MiniCore = Result<PathBuf, (String, String)>;

/// What the suites of one `./y.sh test` run share.
pub struct Ctx {
    pub dirs: Dirs,
    mini_core: RefCell<HashMap<&'static str, MiniCore>>,
    reported: RefCell<HashSet<String>>,
}

impl Ctx {
    pub fn new(dirs: Dirs) -> Ctx {
        Ctx {
            dirs,
            mini_core: RefCell::new(HashMap::new()),
            reported: RefCell::new(HashSet::new()),
        }
    }

    /// `example/mini_core.rs` built by `rustc` into `build/<label>/`, once
    /// per run.
    pub fn mini_core(&self, rustc: &Rustc) -> MiniCore {
        if let Some(done) = self.mini_core.borrow().get(rustc.label) {
            return done.clone();
        }
        let out_dir = self.dirs.build.join(rustc.label);
        let result = rustc::build_mini_core(rustc, &out_dir);
        self.mini_core
            .borrow_mut()
            .insert(rustc.label, result.clone());
        result
    }

    /// True the first time it is called with `key` in this run: lets a
    /// problem several suites run into (e.g. mini_core not building) be
    /// counted as a failure once and as a skip elsewhere.
    pub fn first_report(&self, key: &str) -> bool {
        self.reported.borrow_mut().insert(key.to_string())
    }
}
