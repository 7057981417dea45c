//! A `#[global_allocator]` of its own (counting, forwarding to `System`):
//! the allocator shim must route `alloc`'s calls to it instead of std's
//! default. The `std_example` suite compares its output with LLVM's build.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        LIVE_BYTES.fetch_add(layout.size(), Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    // The first print allocates stdout's buffer, which lives on.
    println!("counting allocator");
    let before = ALLOCS.load(Ordering::SeqCst);
    let live_before = LIVE_BYTES.load(Ordering::SeqCst);
    {
        let v: Vec<u64> = (0..1000).collect();
        let mut m = BTreeMap::new();
        for (i, x) in v.iter().enumerate().take(50) {
            m.insert(format!("key{i:03}"), *x * 3);
        }
        let boxed: Box<[u8]> = vec![7u8; 4096].into_boxed_slice();
        println!(
            "sum {} entries {} last {:?} boxed {}",
            v.iter().sum::<u64>(),
            m.len(),
            m.iter().next_back(),
            boxed.len()
        );
        println!("live during >= 12000: {}", LIVE_BYTES.load(Ordering::SeqCst) - live_before >= 12000);
    }
    println!("allocations counted: {}", ALLOCS.load(Ordering::SeqCst) - before >= 53);
    println!("all freed: {}", LIVE_BYTES.load(Ordering::SeqCst) == live_before);
}
