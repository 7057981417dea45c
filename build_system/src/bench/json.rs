//! The report as JSON (`target/bench/bench.json`). Written by hand: the
//! build system is std-only so that `./y.sh` starts without fetching
//! crates, and this needs only a handful of value kinds.

use std::fmt::{self, Write};

use super::results::{FIGURES, HostCompile, Measurement, Report, SideResult, VtableRow};

/// A JSON value.
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(&'static str, Json)>),
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Num(n) if n.is_finite() => write!(f, "{n}"),
            Json::Num(_) => f.write_str("null"),
            Json::Str(s) => {
                f.write_char('"')?;
                for c in s.chars() {
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
                        c => f.write_char(c)?,
                    }
                }
                f.write_char('"')
            }
            Json::Arr(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
            Json::Obj(fields) => {
                f.write_char('{')?;
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "{}:{value}", Json::Str(key.to_string()))?;
                }
                f.write_char('}')
            }
        }
    }
}

fn nums<T: Copy + Into<f64>>(values: &[T]) -> Json {
    Json::Arr(values.iter().map(|v| Json::Num((*v).into())).collect())
}

fn opt_num(value: Option<f64>) -> Json {
    value.map_or(Json::Null, Json::Num)
}

fn error_of<T>(result: &Result<T, String>) -> Json {
    match result {
        Ok(_) => Json::Null,
        Err(why) => Json::Str(why.clone()),
    }
}

fn side(side: &SideResult) -> Json {
    let mut fields = vec![
        ("compiled", Json::Bool(side.build.is_ok())),
        ("build_error", error_of(&side.build)),
    ];
    if let Ok(b) = &side.build {
        fields.push(("cold_s", nums(&b.cold_s)));
        fields.push(("warm_s", nums(&b.warm_s)));
        fields.push(("object_bytes", Json::Num(b.object_bytes as f64)));
        fields.push(("insns", opt_num(b.insns.as_ref().ok().map(|n| *n as f64))));
        fields.push(("insns_error", error_of(&b.insns)));
    }
    fields.push(("loaded", Json::Bool(side.kernel.is_ok())));
    fields.push(("kernel_error", error_of(&side.kernel)));
    if let Ok(k) = &side.kernel {
        fields.push(("verified_insns", Json::Num(k.verified_insns.into())));
        fields.push(("xlated_insns", Json::Num(k.xlated_insns.into())));
        fields.push(("jited_bytes", Json::Num(k.jited_bytes.into())));
        let depth = k.stack_depth.as_ref().map_or(Json::Null, |d| nums(d));
        fields.push(("stack_depth", depth));
        fields.push(("stack_depth_error", error_of(&k.stack_depth)));
        let ns = k.ns_per_run.as_ref().map_or(Json::Null, |v| nums(v));
        fields.push(("ns_per_run", ns));
        fields.push(("timing_error", error_of(&k.ns_per_run)));
    }
    Json::Obj(fields)
}

fn measurement(m: &Measurement) -> Json {
    let sides = m.sides.iter().map(|s| (s.compiler, side(s))).collect();
    let ratios = FIGURES
        .iter()
        .map(|f| (f.key, opt_num(m.ratio(f))))
        .collect();
    Json::Obj(vec![
        ("program", Json::Str(m.program.to_string())),
        ("opt_level", Json::Str(m.opt_level.to_string())),
        ("timed_case", Json::Str(m.case.clone())),
        ("sides", Json::Obj(sides)),
        ("ratios_ours_over_llvm", Json::Obj(ratios)),
    ])
}

fn runs(runs: &Result<Vec<f64>, String>) -> Json {
    runs.as_ref().map_or(Json::Null, |v| nums(v))
}

fn host_compile(h: &HostCompile) -> Json {
    Json::Obj(vec![
        ("program", Json::Str(h.program.clone())),
        ("built_as", Json::Str(h.how.clone())),
        ("ours_s", runs(&h.ours_s)),
        ("ours_error", error_of(&h.ours_s)),
        ("llvm_s", runs(&h.llvm_s)),
        ("llvm_error", error_of(&h.llvm_s)),
        ("ratio_ours_over_llvm", opt_num(h.ratio())),
    ])
}

fn vtable_row(row: &VtableRow) -> Json {
    let mut fields = vec![
        ("program", Json::Str(row.program.to_string())),
        ("layout", Json::Str(row.layout.to_string())),
        ("error", error_of(&row.figures)),
    ];
    if let Ok(f) = &row.figures {
        for (key, value) in [
            ("data_rel_ro", f.data_rel_ro),
            ("rela_dyn", f.rela_dyn),
            ("relr_dyn", f.relr_dyn),
            ("rodata", f.rodata),
            ("text", f.text),
            ("file", f.file),
            ("relative_relocs", f.relative_relocs),
            ("reloc_cycles", f.reloc_cycles),
        ] {
            fields.push((key, Json::Num(value as f64)));
        }
    }
    Json::Obj(fields)
}

/// The whole report as one JSON document.
pub fn render(report: &Report) -> String {
    let strings = |v: &[String]| Json::Arr(v.iter().cloned().map(Json::Str).collect());
    let machine = report
        .machine
        .iter()
        .map(|(k, v)| (*k, Json::Str(v.clone())))
        .collect();
    let r = report.repeats;
    let doc = Json::Obj(vec![
        ("machine", Json::Obj(machine)),
        ("quick", Json::Bool(report.quick)),
        (
            "repeats",
            Json::Obj(vec![
                ("cold_builds", Json::Num(r.cold_builds as f64)),
                ("warm_builds", Json::Num(r.warm_builds as f64)),
                ("timed_runs", Json::Num(r.timed_runs as f64)),
                ("test_run_repeat", Json::Num(r.test_run_repeat.into())),
            ]),
        ),
        ("notes", strings(&report.notes)),
        ("warnings", strings(&report.warnings())),
        (
            "host_compiles",
            Json::Arr(report.host_compiles.iter().map(host_compile).collect()),
        ),
        (
            "vtables",
            Json::Arr(report.vtables.iter().map(vtable_row).collect()),
        ),
        (
            "results",
            Json::Arr(report.measurements.iter().map(measurement).collect()),
        ),
    ]);
    format!("{doc}\n")
}
