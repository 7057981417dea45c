//! What the `maps` and `progtypes` suites share: compiling an example at
//! each of their opt levels and running its kernel tests on the object,
//! loading objects with aya (globals set at load time) or with libbpf
//! (`bpftool prog loadall`), finding the maps of a pinned program, and
//! comparing what the kernel left with what a test expects.

use std::collections::HashMap;
use std::fmt::{Debug, Display};
use std::os::fd::AsFd;
use std::path::Path;

use aya::maps::{Array, Map, MapData};
use aya::programs::{ProgramFd, ProgramInfo, Xdp};
use aya::{Ebpf, EbpfLoader};

use crate::bpf_objects::{self, Target};
use crate::bpf_sys::Prog;
use crate::kernel;
use crate::report::Reporter;
use crate::rustc::Rustc;
use crate::suites::Ctx;

/// A test's verdict: a reason and details when it failed.
pub type TestResult = Result<(), (String, String)>;

/// One kernel test of an example's object; `label` is unique to the
/// example and opt level (for pin names).
pub struct KernelTest {
    pub name: &'static str,
    pub run: fn(object: &Path, label: &str) -> TestResult,
}

/// The opt levels these suites build at: a debug and an optimised build.
pub const OPT_LEVELS: [&str; 2] = ["0", "2"];

/// Compiles `example/bpf/<example>.rs` at `opt_level` into
/// `build/<suite>/` and runs `tests` on the object, then compiles it for
/// `bpfeb-unknown-none` too (nothing runs big-endian here); reports
/// `<suite>/<example>/O<N>/{compile,<test>,bpfeb/compile}`.
pub fn run_example(
    ctx: &Ctx,
    r: &mut Reporter,
    suite: &str,
    example: &str,
    opt_level: &str,
    tests: &[KernelTest],
) {
    let prefix = format!("{suite}/{example}/O{opt_level}");
    let source = bpf_objects::example_source(example);
    let object = ctx
        .dirs
        .build
        .join(suite)
        .join(format!("{example}-O{opt_level}.o"));
    let rustc = Rustc::backend(&ctx.dirs);
    let compiled = bpf_objects::compile(&rustc, &source, Target::Bpfel, opt_level, &object);
    let compiled_ok = compiled.is_ok();
    r.check(&format!("{prefix}/compile"), compiled.map(drop));
    let unavailable = bpf_objects::kernel_unavailable();
    for test in tests {
        let name = format!("{prefix}/{}", test.name);
        if !compiled_ok {
            r.skip(&name, "did not compile");
        } else if let Some(why) = &unavailable {
            kernel::report_unavailable(r, &name, why);
        } else {
            let label = format!("{suite}_{example}_O{opt_level}");
            r.check(&name, (test.run)(&object, &label));
        }
    }
    let object = ctx
        .dirs
        .build
        .join(suite)
        .join("bpfeb")
        .join(format!("{example}-O{opt_level}.o"));
    let compiled = bpf_objects::compile(&rustc, &source, Target::Bpfeb, opt_level, &object);
    r.check(&format!("{prefix}/bpfeb/compile"), compiled.map(drop));
}

/// The `(reason, details)` of a failed step `what`.
pub fn failure<E: Display + Debug>(what: &str) -> impl FnOnce(E) -> (String, String) + '_ {
    move |e| (format!("{what}: {e}"), format!("{e:?}"))
}

/// `Ok` when `got == want`, else a failure naming `what`.
pub fn expect_eq<T: PartialEq + Debug>(what: &str, got: T, want: T) -> TestResult {
    if got == want {
        Ok(())
    } else {
        Err((
            format!("{what}: got {got:?}, expected {want:?}"),
            String::new(),
        ))
    }
}

/// Loads `object` with aya, giving each global of `globals` its bytes.
pub fn load_aya(object: &Path, globals: &[(&str, &[u8])]) -> Result<Ebpf, (String, String)> {
    let bytes = std::fs::read(object).map_err(failure("reading the object"))?;
    let mut loader = EbpfLoader::new();
    for &(name, value) in globals {
        loader.override_global(name, value, true);
    }
    loader
        .load(&bytes)
        .map_err(failure("aya: loading the object"))
}

/// Loads the XDP program `name` of `ebpf` into the kernel and returns
/// its file descriptor.
pub fn load_xdp(ebpf: &mut Ebpf, name: &str) -> Result<ProgramFd, (String, String)> {
    let prog: &mut Xdp = ebpf
        .program_mut(name)
        .ok_or_else(|| (format!("aya: no program {name}"), String::new()))?
        .try_into()
        .map_err(failure(name))?;
    prog.load()
        .map_err(failure(&format!("aya: loading {name}")))?;
    let fd = prog.fd().map_err(failure(name))?;
    fd.try_clone().map_err(failure(name))
}

/// A program aya loaded, ready for BPF_PROG_TEST_RUN.
pub fn test_runner(fd: &ProgramFd) -> Result<Prog, (String, String)> {
    let owned = fd.as_fd().try_clone_to_owned();
    owned.map(Prog::from_fd).map_err(failure("dup"))
}

/// The map `name` of `ebpf`.
pub fn map<'a>(ebpf: &'a mut Ebpf, name: &str) -> Result<&'a mut Map, (String, String)> {
    ebpf.map_mut(name)
        .ok_or_else(|| (format!("aya: no map {name}"), String::new()))
}

/// Slots `0..count` of the `u64` array `map`.
pub fn array_values(map: &Map, count: u32) -> Result<Vec<u64>, (String, String)> {
    let array: Array<&MapData, u64> = Array::try_from(map).map_err(failure("array"))?;
    (0..count)
        .map(|i| {
            array
                .get(&i, 0)
                .map_err(failure(&format!("array slot {i}")))
        })
        .collect()
}

/// The maps the pinned program at `program` uses, by name (as the kernel
/// keeps it, at most 15 bytes).
pub fn maps_of_pinned(program: &Path) -> Result<HashMap<String, Map>, (String, String)> {
    let info = ProgramInfo::from_pin(program).map_err(failure("program info"))?;
    let ids = info
        .map_ids()
        .map_err(failure("map ids"))?
        .unwrap_or_default();
    let mut maps = HashMap::new();
    for id in ids {
        let data = MapData::from_id(id).map_err(failure("map by id"))?;
        let name = data.info().map_err(failure("map info"))?;
        let name = name.name_as_str().unwrap_or_default().to_string();
        maps.insert(name, Map::from_map_data(data).map_err(failure("map"))?);
    }
    Ok(maps)
}

/// The map `name` of `maps`.
pub fn named<'a>(
    maps: &'a mut HashMap<String, Map>,
    name: &str,
) -> Result<&'a mut Map, (String, String)> {
    let known: Vec<String> = maps.keys().cloned().collect();
    maps.get_mut(name).ok_or_else(|| {
        (
            format!("the program has no map {name}"),
            format!("maps: {known:?}"),
        )
    })
}
