//! The few `bpf(2)` commands the kernel suites need beyond what bpftool
//! does for them: open a pinned program and run it with BPF_PROG_TEST_RUN
//! many times from one process (a bpftool process per run would be far too
//! slow for thousands of inputs). std links libc already, so `syscall(2)` is
//! declared here instead of pulling in a crate for three commands.

use std::ffi::CString;
use std::os::raw::{c_int, c_long};
use std::path::Path;

unsafe extern "C" {
    fn syscall(number: c_long, ...) -> c_long;
    fn close(fd: c_int) -> c_int;
}

const SYS_BPF: c_long = 321; // x86-64
const BPF_PROG_TEST_RUN: c_long = 10;
const BPF_OBJ_GET: c_long = 7;
const BPF_OBJ_GET_INFO_BY_FD: c_long = 15;

/// A program file descriptor, closed on drop.
pub struct Prog {
    fd: c_int,
}

/// What one BPF_PROG_TEST_RUN returned.
pub struct RunResult {
    pub retval: u32,
    pub data_out: Vec<u8>,
    /// Average nanoseconds per repetition, as the kernel measured it.
    pub duration_ns: u32,
}

/// The figures of `struct bpf_prog_info` the suites report.
pub struct ProgInfo {
    /// Bytes of JIT-compiled machine code (0 without a JIT).
    pub jited_len: u32,
    pub xlated_len: u32,
    pub verified_insns: u32,
}

fn errno_text(what: &str) -> String {
    format!("{what}: {}", std::io::Error::last_os_error())
}

/// `bpf(cmd, attr, sizeof attr)`; the kernel may write results into `attr`.
/// `what` names the command in the error.
fn bpf(cmd: c_long, attr: &mut [u8], what: &str) -> Result<c_long, String> {
    let rc = unsafe { syscall(SYS_BPF, cmd, attr.as_mut_ptr(), attr.len() as u32) };
    if rc < 0 {
        return Err(errno_text(what));
    }
    Ok(rc)
}

impl Prog {
    /// Opens the program pinned at `path` (BPF_OBJ_GET).
    pub fn open_pinned(path: &Path) -> Result<Prog, String> {
        let c_path = CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|_| format!("{}: path contains NUL", path.display()))?;
        // union bpf_attr for BPF_OBJ_GET: u64 pathname, u32 bpf_fd, u32 file_flags.
        let mut attr = [0u8; 16];
        attr[0..8].copy_from_slice(&(c_path.as_ptr() as u64).to_ne_bytes());
        let fd = bpf(
            BPF_OBJ_GET,
            &mut attr,
            &format!("BPF_OBJ_GET {}", path.display()),
        )?;
        Ok(Prog { fd: fd as c_int })
    }

    /// Runs the program once per `repeat` on `data_in` (BPF_PROG_TEST_RUN);
    /// `data_out` receives up to `out_capacity` bytes of the packet after the
    /// run.
    pub fn test_run(
        &self,
        data_in: &[u8],
        out_capacity: usize,
        repeat: u32,
    ) -> Result<RunResult, String> {
        let mut out = vec![0u8; out_capacity];
        // struct { u32 prog_fd, retval, data_size_in, data_size_out;
        //          u64 data_in, data_out; u32 repeat, duration;
        //          u32 ctx_size_in, ctx_size_out; u64 ctx_in, ctx_out;
        //          u32 flags, cpu, batch_size; }
        let mut attr = [0u8; 80];
        let put32 =
            |a: &mut [u8; 80], at: usize, v: u32| a[at..at + 4].copy_from_slice(&v.to_ne_bytes());
        let put64 =
            |a: &mut [u8; 80], at: usize, v: u64| a[at..at + 8].copy_from_slice(&v.to_ne_bytes());
        put32(&mut attr, 0, self.fd as u32);
        put32(&mut attr, 8, data_in.len() as u32);
        put32(&mut attr, 12, out.len() as u32);
        put64(&mut attr, 16, data_in.as_ptr() as u64);
        put64(
            &mut attr,
            24,
            if out.is_empty() {
                0
            } else {
                out.as_mut_ptr() as u64
            },
        );
        put32(&mut attr, 32, repeat);
        bpf(BPF_PROG_TEST_RUN, &mut attr, "BPF_PROG_TEST_RUN")?;
        let get32 = |at: usize| u32::from_ne_bytes(attr[at..at + 4].try_into().unwrap());
        let out_len = (get32(12) as usize).min(out.len());
        out.truncate(out_len);
        Ok(RunResult {
            retval: get32(4),
            data_out: out,
            duration_ns: get32(36),
        })
    }

    /// `struct bpf_prog_info` of the loaded program (BPF_OBJ_GET_INFO_BY_FD).
    pub fn info(&self) -> Result<ProgInfo, String> {
        // bpf_prog_info is about 230 bytes on 6.x; ask for the first 256.
        let mut info = [0u8; 256];
        let mut attr = [0u8; 16];
        attr[0..4].copy_from_slice(&(self.fd as u32).to_ne_bytes());
        attr[4..8].copy_from_slice(&(info.len() as u32).to_ne_bytes());
        attr[8..16].copy_from_slice(&(info.as_mut_ptr() as u64).to_ne_bytes());
        bpf(BPF_OBJ_GET_INFO_BY_FD, &mut attr, "BPF_OBJ_GET_INFO_BY_FD")?;
        let get32 = |at: usize| u32::from_ne_bytes(info[at..at + 4].try_into().unwrap());
        // Offsets in struct bpf_prog_info (include/uapi/linux/bpf.h).
        Ok(ProgInfo {
            jited_len: get32(16),
            xlated_len: get32(20),
            verified_insns: get32(216),
        })
    }
}

/// `BPF_F_TEST_RUN_ON_CPU`: run on the CPU named in the attribute (raw
/// tracepoint programs).
pub const BPF_F_TEST_RUN_ON_CPU: u32 = 1;

impl Prog {
    /// Takes over a program file descriptor another loader (aya) opened.
    pub fn from_fd(fd: std::os::fd::OwnedFd) -> Prog {
        use std::os::fd::IntoRawFd;
        Prog {
            fd: fd.into_raw_fd(),
        }
    }

    /// Runs the program once on the context `ctx` and returns its result
    /// (BPF_PROG_TEST_RUN with `ctx_in`: raw tracepoint and syscall
    /// programs). The kernel writes a syscall program's context back into
    /// `ctx`. `flags` and `cpu` as in `bpf_attr.test`.
    pub fn test_run_ctx(&self, ctx: &mut [u8], flags: u32, cpu: u32) -> Result<u32, String> {
        // The layout of `bpf_attr.test`, as in `test_run`.
        let mut attr = [0u8; 80];
        let mut put = |at: usize, bytes: &[u8]| attr[at..at + bytes.len()].copy_from_slice(bytes);
        put(0, &(self.fd as u32).to_ne_bytes());
        put(40, &(ctx.len() as u32).to_ne_bytes());
        put(48, &(ctx.as_mut_ptr() as u64).to_ne_bytes());
        put(64, &flags.to_ne_bytes());
        put(68, &cpu.to_ne_bytes());
        bpf(BPF_PROG_TEST_RUN, &mut attr, "BPF_PROG_TEST_RUN")?;
        Ok(u32::from_ne_bytes(attr[4..8].try_into().unwrap()))
    }
}

impl Drop for Prog {
    fn drop(&mut self) {
        unsafe { close(self.fd) };
    }
}
