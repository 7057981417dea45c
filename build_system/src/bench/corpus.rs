//! The programs `./y.sh bench` measures. Each entry names the source that
//! both compilers build (a file, or a binary of a cargo package), its
//! entry function, its test cases (the kernel suite's where it has them)
//! and the case whose packet the timed runs use (one the program accepts).
//! Add a program by adding an entry; an entry whose source is not in the
//! tree (yet) is skipped with a note in the report.

use std::path::Path;

use crate::packets as p;
use crate::suites::kernel::cases::{self, Case};

/// What both compilers build.
#[derive(Clone, Copy)]
pub enum Source {
    /// A single-file `#![no_std] #![no_main]` crate, relative to the root.
    File(&'static str),
    /// A binary of a cargo package (e.g. an aya-ebpf program).
    Package {
        /// The package directory, relative to the root.
        dir: &'static str,
        package: &'static str,
        bin: &'static str,
    },
}

/// One benchmarked program.
pub struct Program {
    /// The name in reports (and of the generated cargo package).
    pub name: &'static str,
    pub source: Source,
    /// The entry function (also its pin name).
    pub entry: &'static str,
    /// Packets and the verdicts the program must give them; all are
    /// checked on every build that loads.
    pub cases: fn() -> Vec<Case>,
    /// The case whose packet is timed (`FIRST_CASE`: the first).
    pub case: &'static str,
    /// A C twin compiled with clang, relative to the root.
    pub c_twin: Option<&'static str>,
}

/// Every program, in report order.
pub const PROGRAMS: &[Program] = &[
    example(
        "xdp_parser",
        "example/bpf/xdp_parser.rs",
        cases::parser_cases,
        "ipv4/tcp:80",
        Some("example/bpf/c/xdp_parser.c"),
    ),
    example(
        "xdp_rewrite",
        "example/bpf/xdp_rewrite.rs",
        cases::rewrite_cases,
        "ipv4/udp:53",
        None,
    ),
    example(
        "socket_filter",
        "example/bpf/socket_filter.rs",
        cases::socket_filter_cases,
        "ipv4/tcp",
        Some("example/bpf/c/socket_filter.c"),
    ),
    example(
        "xdp_calls",
        "example/bpf/xdp_calls.rs",
        cases::calls_cases,
        FIRST_CASE,
        None,
    ),
    example(
        "xdp_loops",
        "example/bpf/xdp_loops.rs",
        cases::loops_cases,
        FIRST_CASE,
        None,
    ),
    example(
        "xdp_iter",
        "example/bpf/xdp_iter.rs",
        cases::iter_cases,
        FIRST_CASE,
        None,
    ),
    example(
        "xdp_enum",
        "example/bpf/xdp_enum.rs",
        cases::enum_cases,
        FIRST_CASE,
        None,
    ),
    example(
        "xdp_u128",
        "example/bpf/xdp_u128.rs",
        cases::u128_cases,
        FIRST_CASE,
        None,
    ),
    Program {
        name: "aya_xdp_firewall_btf",
        source: Source::Package {
            dir: "tests/aya/ebpf",
            package: "aya-test-ebpf",
            bin: "xdp_firewall_btf",
        },
        entry: "xdp_firewall_btf",
        cases: firewall_cases,
        case: FIRST_CASE,
        c_twin: None,
    },
];

/// The program `--quick` measures.
pub const QUICK: &str = "xdp_parser";

/// `case` value choosing the first case.
const FIRST_CASE: &str = "";

/// A program of `example/bpf/` whose entry function bears its name.
const fn example(
    name: &'static str,
    source: &'static str,
    cases: fn() -> Vec<Case>,
    case: &'static str,
    c_twin: Option<&'static str>,
) -> Program {
    Program {
        name,
        source: Source::File(source),
        entry: name,
        cases,
        case,
        c_twin,
    }
}

/// The aya firewall with an empty block list passes every frame (and
/// counts it).
fn firewall_cases() -> Vec<Case> {
    let ipv4 = p::ethernet(
        p::ETH_P_IPV4,
        &p::Ipv4::new(p::IPPROTO_TCP).build(&p::tcp(40000, 80, b"firewall")),
    );
    [("ipv4/tcp:80", ipv4), ("arp", p::arp_request())]
        .into_iter()
        .map(|(name, packet)| Case {
            name: name.to_string(),
            output: Some(packet.clone()),
            packet,
            retval: cases::XDP_PASS,
        })
        .collect()
}

impl Program {
    /// Why this program cannot be measured in the checkout at `root`, if
    /// it cannot.
    pub fn missing(&self, root: &Path) -> Option<String> {
        let needed = match self.source {
            Source::File(file) => root.join(file),
            Source::Package { dir, bin, .. } => {
                root.join(dir).join("src/bin").join(format!("{bin}.rs"))
            }
        };
        (!needed.is_file())
            .then(|| format!("{}: {} is not in the tree", self.name, needed.display()))
    }

    /// The program's cases, the one whose packet is timed first.
    pub fn cases(&self) -> Result<Vec<Case>, String> {
        let mut all = (self.cases)();
        let timed = all
            .iter()
            .position(|c| self.case == FIRST_CASE || c.name == self.case)
            .ok_or_else(|| format!("{}: no case `{}`", self.name, self.case))?;
        let first = all.remove(timed);
        all.insert(0, first);
        Ok(all)
    }

    /// The C twin, if there is one in the tree.
    pub fn c_twin(&self, root: &Path) -> Option<&'static str> {
        self.c_twin.filter(|twin| root.join(twin).is_file())
    }
}
