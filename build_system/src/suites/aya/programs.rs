//! The user-space side of each aya test program: load the object (aya or
//! libbpf), set maps, run or trigger the program and check what it did.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex};

use aya::Ebpf;
use aya::maps::{HashMap, Map, PerCpuArray, RingBuf};
use aya::programs::TracePoint;
use aya_log::EbpfLogger;

use crate::bpf_objects;
use crate::bpf_pin;
use crate::bpf_sys::Prog;
use crate::packets::{self, ETH_P_IPV4, IPPROTO_UDP, IPV4_SRC, Ipv4};
use crate::suites::maps::harness::{
    TestResult, array_values, expect_eq, failure, load_aya, load_xdp, map, maps_of_pinned, named,
    test_runner,
};

const XDP_DROP: u32 = 1;
const XDP_PASS: u32 = 2;

/// The blocked source address, as the program reads it (network order).
fn blocked_key() -> u32 {
    u32::from_ne_bytes(IPV4_SRC)
}

/// A UDP packet from `src`.
fn udp_from(src: [u8; 4]) -> Vec<u8> {
    let mut ip = Ipv4::new(IPPROTO_UDP);
    ip.src = src;
    packets::ethernet(ETH_P_IPV4, &ip.build(&packets::udp(1000, 53, b"aya")))
}

/// Runs the firewall on a blocked, an allowed and a non-IPv4 packet and
/// checks the verdicts and the `VERDICTS` counts `[passed, dropped]`.
fn check_firewall(prog: &Prog, verdicts: &Map) -> TestResult {
    let cases = [
        ("blocked source", udp_from(IPV4_SRC), XDP_DROP),
        ("allowed source", udp_from([192, 0, 2, 99]), XDP_PASS),
        ("ARP", packets::arp_request(), XDP_PASS),
    ];
    for (what, packet, want) in cases {
        let run = bpf_objects::run(prog, &packet, 1).map_err(|e| (e, String::new()))?;
        expect_eq(&format!("verdict for the {what} packet"), run.retval, want)?;
    }
    expect_eq(
        "VERDICTS [passed, dropped]",
        array_values(verdicts, 2)?,
        vec![2, 1],
    )
}

fn block_source(blocklist: &mut Map) -> TestResult {
    let mut blocklist: HashMap<&mut aya::maps::MapData, u32, u32> =
        HashMap::try_from(blocklist).map_err(failure("BLOCKLIST"))?;
    blocklist
        .insert(blocked_key(), 1, 0)
        .map_err(failure("inserting into BLOCKLIST"))
}

/// Legacy `maps` section, loaded by aya.
pub fn firewall_legacy_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let fd = load_xdp(&mut ebpf, "xdp_firewall")?;
    block_source(map(&mut ebpf, "BLOCKLIST")?)?;
    check_firewall(&test_runner(&fd)?, map(&mut ebpf, "VERDICTS")?)
}

/// aya-log: one IPv4 packet, one record naming its source address.
pub fn log_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let records = Arc::new(Mutex::new(Vec::new()));
    let mut logger = EbpfLogger::init_with_logger(&mut ebpf, Capture(records.clone()))
        .map_err(failure("aya-log: finding AYA_LOGS"))?;
    let fd = load_xdp(&mut ebpf, "xdp_log")?;
    let run = bpf_objects::run(&test_runner(&fd)?, &udp_from(IPV4_SRC), 1)
        .map_err(|e| (e, String::new()))?;
    expect_eq("verdict", run.retval, XDP_PASS)?;
    panic::catch_unwind(AssertUnwindSafe(|| logger.flush())).map_err(|_| {
        (
            "aya-log could not decode a record".to_string(),
            String::new(),
        )
    })?;
    let records = records.lock().map(|r| r.clone()).unwrap_or_default();
    expect_eq(
        "aya-log records",
        records,
        vec!["from 192.0.2.1".to_string()],
    )
}

/// BTF-defined maps, loaded by aya.
pub fn firewall_btf_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let fd = load_xdp(&mut ebpf, "xdp_firewall_btf")?;
    block_source(map(&mut ebpf, "BLOCKLIST")?)?;
    check_firewall(&test_runner(&fd)?, map(&mut ebpf, "VERDICTS")?)
}

/// BTF-defined maps, loaded by libbpf (`bpftool prog loadall`); the maps
/// are found through the pinned program.
pub fn firewall_btf_libbpf(object: &Path, label: &str) -> TestResult {
    let pinned = bpf_objects::load(object, label)?;
    let prog = pinned
        .program("xdp_firewall_btf")
        .map_err(|e| (e, String::new()))?;
    let mut maps = maps_of_pinned(&bpf_pin::pin_dir(label).join("xdp_firewall_btf"))?;
    block_source(named(&mut maps, "BLOCKLIST")?)?;
    check_firewall(&prog, named(&mut maps, "VERDICTS")?)
}

/// The tracepoint counts this process's `getpid` calls per CPU.
pub fn tracepoint_counter_aya(object: &Path, _label: &str) -> TestResult {
    const CALLS: u64 = 25;
    let mut ebpf = load_aya(object, &[])?;
    {
        let target = map(&mut ebpf, "TARGET")?;
        let mut target: aya::maps::Array<&mut aya::maps::MapData, u32> =
            aya::maps::Array::try_from(target).map_err(failure("TARGET"))?;
        target
            .set(0, std::process::id(), 0)
            .map_err(failure("setting TARGET"))?;
    }
    let program: &mut TracePoint = ebpf
        .program_mut("count_getpid")
        .ok_or_else(|| ("aya: no program count_getpid".to_string(), String::new()))?
        .try_into()
        .map_err(failure("count_getpid"))?;
    program
        .load()
        .map_err(failure("aya: loading count_getpid"))?;
    let link = program
        .attach("syscalls", "sys_enter_getpid")
        .map_err(failure("attaching to syscalls/sys_enter_getpid"))?;
    for _ in 0..CALLS {
        std::hint::black_box(std::process::id());
    }
    program
        .detach(link)
        .map_err(failure("detaching count_getpid"))?;
    let counts: PerCpuArray<&aya::maps::MapData, u64> =
        PerCpuArray::try_from(&*map(&mut ebpf, "COUNTS")?).map_err(failure("COUNTS"))?;
    let values = counts.get(&0, 0).map_err(failure("reading COUNTS"))?;
    expect_eq(
        "getpid calls counted over all CPUs",
        values.iter().sum::<u64>(),
        CALLS,
    )
}

/// `check_bounds_signed`'s `asm!` (`if {value} s< {lower} goto +2`, ...)
/// was assembled into the program: the disassembly shows its signed
/// compares.
pub fn ringbuf_inline_asm(object: &Path, _label: &str) -> TestResult {
    let objdump = bpf_objects::llvm_objdump().map_err(|e| (e, String::new()))?;
    let dis = bpf_objects::disassemble(&objdump, object, &["ringbuf"])?;
    for want in [" s< r", " s> r"] {
        if !dis
            .text
            .lines()
            .any(|l| l.contains("if r") && l.contains(want) && l.contains("goto +"))
        {
            return Err((
                format!("no `if rX{want}Y goto +N` from the inline assembly"),
                dis.text,
            ));
        }
    }
    Ok(())
}

/// `xdp_asm`'s inline assembly, run on a short and a long packet: each
/// `RESULTS` slot holds what the test computes from the packet length.
pub fn inline_asm_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let fd = load_xdp(&mut ebpf, "xdp_asm")?;
    let prog = test_runner(&fd)?;
    for payload in [&b"short"[..], &[0x5a; 200][..]] {
        let packet = packets::ethernet(ETH_P_IPV4, &Ipv4::new(IPPROTO_UDP).build(payload));
        let run = bpf_objects::run(&prog, &packet, 1).map_err(|e| (e, String::new()))?;
        expect_eq("verdict", run.retval, XDP_PASS)?;
        let len = packet.len() as u64;
        let a = len * 3 + 1;
        let b = len << 4;
        let want = vec![
            a,
            b,
            a.wrapping_sub(b),
            if len > 100 { 0 } else { 7 },
            0x8765_4321,
            1,
        ];
        let got = array_values(map(&mut ebpf, "RESULTS")?, 6)?;
        expect_eq(&format!("RESULTS for a {len}-byte packet"), got, want)?;
    }
    Ok(())
}

/// One test run, then the ring buffer holds one event: the packet's length
/// and the name read with `bpf_probe_read_kernel_str_bytes`.
fn check_ringbuf(prog: &Prog, events: Map) -> TestResult {
    let packet = udp_from([192, 0, 2, 7]);
    let run = bpf_objects::run(prog, &packet, 1).map_err(|e| (e, String::new()))?;
    expect_eq("verdict", run.retval, XDP_PASS)?;
    let mut ring: RingBuf<aya::maps::MapData> =
        RingBuf::try_from(events).map_err(failure("EVENTS"))?;
    let event = ring
        .next()
        .map(|item| item.to_vec())
        .ok_or_else(|| ("the ring buffer is empty".to_string(), String::new()))?;
    let mut want = Vec::new();
    want.extend_from_slice(&(packet.len() as u32).to_ne_bytes());
    want.extend_from_slice(&7u32.to_ne_bytes());
    want.extend_from_slice(b"aya-bpf\0\0\0\0\0\0\0\0\0");
    expect_eq("event", event, want)?;
    expect_eq("events after the first", ring.next().is_some(), false)
}

pub fn ringbuf_aya(object: &Path, _label: &str) -> TestResult {
    let mut ebpf = load_aya(object, &[])?;
    let fd = load_xdp(&mut ebpf, "ringbuf")?;
    let prog = test_runner(&fd)?;
    let events = take_map(&mut ebpf, "EVENTS")?;
    check_ringbuf(&prog, events)
}

fn take_map(ebpf: &mut Ebpf, name: &str) -> Result<Map, (String, String)> {
    ebpf.take_map(name)
        .ok_or_else(|| (format!("aya: no map {name}"), String::new()))
}

/// A `log` logger keeping each record's message.
struct Capture(Arc<Mutex<Vec<String>>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if let Ok(mut records) = self.0.lock() {
            records.push(record.args().to_string());
        }
    }

    fn flush(&self) {}
}
