//! Loads the cdylib named on the command line with dlopen and prints what
//! its `vt_run` returns.

use std::ffi::{CString, c_char, c_int, c_void};

unsafe extern "C" {
    fn dlopen(filename: *const c_char, flags: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn dlerror() -> *const c_char;
}

const RTLD_NOW: c_int = 2;

fn main() {
    let path = std::env::args().nth(1).expect("usage: dlopen_loader LIB");
    let path = CString::new(path).unwrap();
    unsafe {
        let handle = dlopen(path.as_ptr(), RTLD_NOW);
        if handle.is_null() {
            let err = std::ffi::CStr::from_ptr(dlerror());
            panic!("dlopen failed: {}", err.to_string_lossy());
        }
        let sym = dlsym(handle, c"vt_run".as_ptr());
        assert!(!sym.is_null(), "no vt_run");
        let run: extern "C" fn(u32) -> u64 = std::mem::transmute(sym);
        println!("vt_run(3) = {}", run(3));
        println!("vt_run(10) = {}", run(10));
    }
}
