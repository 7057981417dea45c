//! A program using much of `std`: the `std_example` suite builds it with the
//! backend and with rustc's LLVM backend and compares what both print.
//! Everything printed is deterministic (hash maps are printed sorted).

#![feature(allocator_api, extern_types, f16, f128, ptr_metadata)]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::io::{Read, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> String {
        String::from("shape")
    }
}

struct Circle(f64);
struct Rect {
    w: f64,
    h: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.0 * self.0
    }
    fn name(&self) -> String {
        format!("circle r={}", self.0)
    }
}

impl Shape for Rect {
    fn area(&self) -> f64 {
        self.w * self.h
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Token {
    Num(i64),
    Word(String),
    Op(char),
}

struct Matrix([[i32; 3]; 3]);

impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for row in &self.0 {
            writeln!(f, "[{:>4} {:>4} {:>4}]", row[0], row[1], row[2])?;
        }
        Ok(())
    }
}

fn tokenize(s: &str) -> Vec<Token> {
    s.split_whitespace()
        .map(|w| {
            if let Ok(n) = w.parse::<i64>() {
                Token::Num(n)
            } else if w.len() == 1 && !w.chars().next().unwrap().is_alphanumeric() {
                Token::Op(w.chars().next().unwrap())
            } else {
                Token::Word(w.to_string())
            }
        })
        .collect()
}

fn collections() {
    let mut v: Vec<i32> = (1..=10).collect();
    v.retain(|x| x % 3 != 0);
    v.push(100);
    v.insert(0, -5);
    println!("vec {:?} len {} sum {}", v, v.len(), v.iter().sum::<i32>());
    let mut dq: VecDeque<u8> = VecDeque::new();
    for i in 0..5 {
        if i % 2 == 0 {
            dq.push_back(i);
        } else {
            dq.push_front(i);
        }
    }
    println!("deque {:?}", dq);
    let mut bt = BTreeMap::new();
    for w in "the quick brown fox jumps over the lazy dog the end".split(' ') {
        *bt.entry(w).or_insert(0) += 1;
    }
    println!("btree {:?}", bt);
    let set: BTreeSet<char> = "hello world".chars().filter(|c| c.is_alphabetic()).collect();
    println!("set {:?}", set);
    let mut hm: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, w) in "a b c a b a d".split(' ').enumerate() {
        hm.entry(w.to_string()).or_default().push(i);
    }
    let mut keys: Vec<_> = hm.iter().collect();
    keys.sort();
    println!("hashmap {:?} has_a {} len {}", keys, hm.contains_key("a"), hm.len());
    let mut big: HashMap<u64, u64> = HashMap::new();
    for i in 0..2000u64 {
        big.insert(i * 7919 % 10007, i);
    }
    for i in 0..1000u64 {
        big.remove(&(i * 7919 % 10007));
    }
    let total: u64 = big.values().sum();
    println!("big hashmap len {} sum {} get {:?}", big.len(), total, big.get(&(1500 * 7919 % 10007)));
    let hs: HashSet<i32> = [1, 2, 3, 2, 1].into_iter().collect();
    let mut hv: Vec<_> = hs.into_iter().collect();
    hv.sort_unstable();
    println!("hashset {:?}", hv);
    println!("tokens {:?}", tokenize("let x = 42 + y * -7"));
}

fn strings() {
    let s = String::from("Hello, Wörld! ñ 日本語");
    println!("{} | upper {} | lower {}", s, s.to_uppercase(), s.to_lowercase());
    println!("chars {} bytes {} rev {}", s.chars().count(), s.len(), s.chars().rev().collect::<String>());
    println!("find {:?} {:?} split {:?}", s.find("Wö"), s.find('z'), s.split(", ").collect::<Vec<_>>());
    let words = ["alpha", "beta", "gamma"];
    println!("join {} repeat {} replace {}", words.join("-"), "ab".repeat(3), s.replace('l', "L"));
    for c in ['a', 'Z', '7', ' ', 'é', '💖'] {
        println!(
            "char {:?} alpha {} num {} ws {} upper {:?} u32 {} len_utf8 {}",
            c,
            c.is_alphabetic(),
            c.is_numeric(),
            c.is_whitespace(),
            c.to_uppercase().collect::<String>(),
            c as u32,
            c.len_utf8()
        );
    }
    println!("trim [{}] parse {:?} {:?}", "  padded\t".trim(), "12x".parse::<i32>(), "-3.5".parse::<f64>());
    println!("fmt {:08.3} {:+} {:#x} {:#b} {:e} {:>6}| {:<6}| {:^7}|", 3.14159, 42, 255, 5, 1234.5, "r", "l", "mid");
    println!("debug {:?} {:#?}", (1, "two", 3.0), Some(vec![1u8, 2]));
    println!("{}", Matrix([[1, -2, 3], [40, 500, -6000], [7, 8, 9]]));
}

fn iterators_and_closures() {
    let squares: Vec<u64> = (1..=8).map(|x| x * x).filter(|x| x % 2 == 1).collect();
    println!("odd squares {:?}", squares);
    let (evens, odds): (Vec<i32>, Vec<i32>) = (0..15).partition(|x| x % 2 == 0);
    println!("partition {:?} {:?}", evens, odds);
    let zipped: Vec<(char, i32)> = "abc".chars().zip(1..).collect();
    println!("zip {:?}", zipped);
    let folded = (1..=20).fold(String::new(), |acc, x| if x % 5 == 0 { format!("{acc}{x},") } else { acc });
    println!("fold {}", folded);
    let max = [3.5f64, -1.0, 9.25, 2.0].iter().cloned().fold(f64::MIN, f64::max);
    println!("max {} position {:?} any {} all {}", max, [1, 5, 9].iter().position(|&x| x == 5), (1..5).any(|x| x > 3), (1..5).all(|x| x > 3));
    let windows: Vec<i32> = [1, 4, 9, 16, 25].windows(2).map(|w| w[1] - w[0]).collect();
    let chunks: Vec<Vec<u8>> = (0..7u8).collect::<Vec<_>>().chunks(3).map(|c| c.to_vec()).collect();
    println!("windows {:?} chunks {:?}", windows, chunks);
    let mut counter = 0;
    let mut inc = |by: i32| {
        counter += by;
        counter
    };
    inc(2);
    inc(5);
    println!("counter {}", counter);
    let adders: Vec<Box<dyn Fn(i32) -> i32>> = (1..=3).map(|n| Box::new(move |x| x * 10 + n) as Box<dyn Fn(i32) -> i32>).collect();
    println!("boxed fns {:?}", adders.iter().map(|f| f(4)).collect::<Vec<_>>());
    let compose = |f: &dyn Fn(i32) -> i32, g: &dyn Fn(i32) -> i32, x| g(f(x));
    println!("compose {}", compose(&|x| x + 1, &|x| x * x, 6));
    let shapes: Vec<Box<dyn Shape>> = vec![Box::new(Circle(1.5)), Box::new(Rect { w: 2.0, h: 3.5 })];
    for s in &shapes {
        println!("{} area {:.4}", s.name(), s.area());
    }
    let total: f64 = shapes.iter().map(|s| s.area()).sum();
    println!("total area {:.6}", total);
}

fn smart_pointers() {
    let shared = Rc::new(RefCell::new(vec![1, 2]));
    let other = Rc::clone(&shared);
    other.borrow_mut().push(3);
    println!("rc {:?} strong {}", shared.borrow(), Rc::strong_count(&shared));
    drop(other);
    println!("rc strong after drop {}", Rc::strong_count(&shared));
    let weak = Rc::downgrade(&shared);
    println!("weak upgrade {:?}", weak.upgrade().map(|v| v.borrow().len()));
    let arc = Arc::new(String::from("arc text"));
    let arc2 = arc.clone();
    println!("arc {} count {}", arc2, Arc::strong_count(&arc));
    let shown = [shared_display(7), shared_display("seven")];
    println!("arc dyn {} {} count {}", shown[0], shown[1], Arc::strong_count(&shown[1]));
    boxes_in_allocator();
}

/// An allocator counting what it hands out, used by reference: a
/// `Box<T, &Counting>` holds the allocator beside its pointer.
struct Counting(std::cell::Cell<usize>);

unsafe impl std::alloc::Allocator for Counting {
    fn allocate(
        &self,
        layout: std::alloc::Layout,
    ) -> Result<std::ptr::NonNull<[u8]>, std::alloc::AllocError> {
        self.0.set(self.0.get() + 1);
        std::alloc::Global.allocate(layout)
    }
    unsafe fn deallocate(&self, ptr: std::ptr::NonNull<u8>, layout: std::alloc::Layout) {
        self.0.set(self.0.get() - 1);
        unsafe { std::alloc::Global.deallocate(ptr, layout) }
    }
}

/// Unsizing boxes whose allocator is not zero-sized.
fn boxes_in_allocator() {
    let alloc = Counting(std::cell::Cell::new(0));
    {
        let array: Box<[u8; 3], &Counting> = Box::new_in([1, 2, 3], &alloc);
        let slice: Box<[u8], &Counting> = array;
        let copy: Box<[u8], &Counting> = slice.clone();
        let shape: Box<dyn Shape, &Counting> = Box::new_in(Rect { w: 2.0, h: 1.5 }, &alloc);
        println!(
            "boxes in allocator: {:?} {:?} {} live {}",
            slice,
            copy,
            shape.area(),
            alloc.0.get()
        );
    }
    println!("boxes in allocator after drop: live {}", alloc.0.get());
}

/// `Arc<T>` coerced to `Arc<dyn Trait>` as it is returned.
#[inline(never)]
fn shared_display<T: std::fmt::Display + Send + Sync + 'static>(
    value: T,
) -> Arc<dyn std::fmt::Display + Send + Sync> {
    Arc::new(value)
}

fn threads() {
    let counter = Arc::new(Mutex::new(0u64));
    let hits = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for t in 0..4u64 {
        let counter = Arc::clone(&counter);
        let hits = Arc::clone(&hits);
        handles.push(std::thread::spawn(move || {
            for i in 0..1000 {
                *counter.lock().unwrap() += t * i;
                hits.fetch_add(1, Ordering::Relaxed);
            }
            t * 100
        }));
    }
    let results: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("threads {:?} counter {} hits {}", results, *counter.lock().unwrap(), hits.load(Ordering::SeqCst));
    let (tx, rx) = mpsc::channel();
    for id in 0..3 {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for j in 0..3 {
                tx.send(id * 10 + j).unwrap();
            }
        });
    }
    drop(tx);
    let mut got: Vec<i32> = rx.iter().collect();
    got.sort();
    println!("channel {:?}", got);
    let data = [1u32, 2, 3, 4, 5, 6];
    let scoped_sum = std::thread::scope(|s| {
        let (a, b) = data.split_at(3);
        let ha = s.spawn(move || a.iter().sum::<u32>());
        let hb = s.spawn(move || b.iter().sum::<u32>());
        ha.join().unwrap() * 100 + hb.join().unwrap()
    });
    println!("scoped {}", scoped_sum);
    // A thread-local with a destructor: registering it goes through
    // glibc's `__cxa_thread_atexit_impl`, a weak import.
    static DROPPED: AtomicUsize = AtomicUsize::new(0);
    struct Guard(Vec<u32>);
    impl Drop for Guard {
        fn drop(&mut self) {
            DROPPED.fetch_add(self.0.len(), Ordering::SeqCst);
        }
    }
    thread_local! {
        static LOCAL: RefCell<Guard> = RefCell::new(Guard(vec![1]));
    }
    LOCAL.with(|l| l.borrow_mut().0.push(41));
    let other = std::thread::spawn(|| {
        LOCAL.with(|l| l.borrow_mut().0.extend([5, 6, 7]));
        LOCAL.with(|l| l.borrow().0.iter().sum::<u32>())
    })
    .join()
    .unwrap();
    let main_sum = LOCAL.with(|l| l.borrow().0.iter().sum::<u32>());
    println!("thread local main {} other {} dropped {}", main_sum, other, DROPPED.load(Ordering::SeqCst));
}

fn numbers() {
    let a: i128 = 170141183460469231731687303715884105727;
    let b: u128 = 0xdead_beef_cafe_babe_0123_4567_89ab_cdef;
    println!("i128 {} {} {} {}", a, a / 7, a % 1_000_000_007, a.wrapping_add(1));
    println!("u128 {} {:x} {} {}", b, b >> 3, b.count_ones(), b.leading_zeros());
    println!("u128 mul {:?} {}", b.checked_mul(3), (b / 12345).wrapping_mul(987654321));
    println!("i64 {} {:?} {:?} {}", i64::MAX.wrapping_mul(3), 7i64.checked_div(0), (-128i8).checked_abs(), (-17i32).rem_euclid(5));
    let x = 2.5f64;
    println!("f64 {} {} {} {} {:.10} {:.10}", x.sqrt(), x.powi(3), x.powf(0.5), x.floor(), x.sin(), x.ln());
    println!("f64 {:.10} {:.10} {} {} {}", x.exp(), x.atan2(1.0), x.round(), (-x).abs(), x.mul_add(2.0, 1.0));
    let y = 1.25f32;
    println!("f32 {} {} {} {:.6} {}", y * 3.0, y.sqrt(), y.recip(), y.cos(), y.to_bits());
    println!("casts {} {} {} {} {}", 300i32 as u8, -1i32 as u32, 3.99f64 as i32, f64::NAN as i32, 1e20f64 as i64);
    println!("special {} {} {} {}", f64::INFINITY, -f64::INFINITY, f64::NAN.is_nan(), 0.1 + 0.2);
    let ties = [0.5f64, 1.5, 2.5, -2.5];
    println!(
        "ties to even {:?} {}",
        ties.map(f64::round_ties_even),
        2.5f32.round_ties_even()
    );
    // f16 and f128 as data: constants, copies, bits and classification.
    let wide = [f128::MIN_POSITIVE, -0.0, f128::INFINITY, f128::NAN];
    let narrow = [f16::MAX, -0.0, f16::NAN];
    println!(
        "f128 {:?} {:x?}",
        wide.map(f128::classify),
        wide.map(f128::to_bits)
    );
    println!(
        "f16 {:?} {:x?}",
        narrow.map(f16::classify),
        narrow.map(f16::to_bits)
    );
}

fn sorting() {
    let mut v: Vec<i64> = (0..50).map(|i| (i * 7919 + 13) % 101 - 50).collect();
    v.sort();
    println!("sorted {:?}", &v[..10]);
    v.sort_by(|a, b| b.cmp(a));
    println!("desc {:?}", &v[..10]);
    let mut words = vec!["pear", "fig", "banana", "kiwi", "apple", "date"];
    words.sort_by_key(|w| (w.len(), *w));
    println!("by len {:?}", words);
    let mut floats = vec![3.2, -1.5, 9.9, 0.0, 2.25];
    floats.sort_by(|a: &f64, b| a.partial_cmp(b).unwrap());
    println!("floats {:?} search {:?}", floats, v.binary_search_by(|p| 0.cmp(p)));
    let mut tokens = tokenize("b 3 + a 1 * c 2");
    tokens.sort();
    tokens.dedup();
    println!("sorted tokens {:?}", tokens);
}

fn env_and_files() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("args {:?}", args);
    let dir = std::env::temp_dir().join(format!("std_example_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data.txt");
    {
        let mut f = std::fs::File::create(&path).unwrap();
        for i in 0..5 {
            writeln!(f, "line {i}: {}", "x".repeat(i)).unwrap();
        }
    }
    let mut text = String::new();
    std::fs::File::open(&path).unwrap().read_to_string(&mut text).unwrap();
    println!("file {} bytes, {} lines, last {:?}", text.len(), text.lines().count(), text.lines().last());
    println!("missing file: {}", std::fs::read("/nonexistent/file").unwrap_err().kind());
    std::fs::remove_dir_all(&dir).unwrap();
    println!("removed {}", !dir.exists());
}

/// An `asm!` block without instructions, the optimisation-barrier idiom
/// (an `inout` operand passes through, a plain output keeps its value).
fn asm_barriers() {
    let mut x = 0x1234_5678_9abc_def0u64;
    let mut b = 7u8;
    unsafe {
        std::arch::asm!("/* {0} */", inout(reg) x, options(nostack));
        std::arch::asm!("# {0} {1}", inout(reg_byte) b, in(reg) x);
    }
    let y: u32;
    unsafe { std::arch::asm!("// {0:e}", inout(reg) 41u32 => y) };
    println!("asm barriers: {x:#x} {b} {y}");
}

/// A future pending `polls` times before it yields `value`.
struct Countdown {
    polls: u32,
    value: u64,
}

impl std::future::Future for Countdown {
    type Output = u64;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<u64> {
        if self.polls == 0 {
            return std::task::Poll::Ready(self.value);
        }
        self.polls -= 1;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

async fn add_later(a: u64, b: u64) -> u64 {
    let x = Countdown { polls: 2, value: a }.await;
    let y = Countdown { polls: 1, value: b }.await;
    x + y
}

/// Polls `fut` to completion with a no-op waker, counting the polls.
fn block_on<F: std::future::Future>(fut: F) -> (F::Output, u32) {
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut polls = 1;
    loop {
        match fut.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => return (v, polls),
            std::task::Poll::Pending => polls += 1,
        }
    }
}

/// Async functions and blocks: coroutines with captured upvars, several
/// suspension points, state kept across them, and a boxed `dyn Future`.
fn async_code() {
    let name = String::from("sum");
    let words = vec![3u64, 4, 5];
    let block = async move {
        let mut total = 0;
        for w in &words {
            total += add_later(*w, 1).await;
        }
        format!("{name}={total}")
    };
    println!("async block: {:?}", block_on(block));
    let boxed: std::pin::Pin<Box<dyn std::future::Future<Output = u64>>> =
        Box::pin(add_later(40, 2));
    println!("boxed future: {:?}", block_on(boxed));
    let ready = std::future::ready(7u8);
    println!("ready: {:?}", block_on(ready));
}

unsafe extern "C" {
    /// A type of unknown size: pointers to it are thin.
    type Opaque;
}

/// A header followed by data of unknown size.
#[repr(C)]
struct Header {
    len: u32,
    rest: Opaque,
}

/// Data of unknown size only: the extern type at offset 0.
#[repr(C)]
struct Body {
    rest: Opaque,
}

/// Pointers to extern types: no metadata; sized fields before an extern
/// type tail, and a tail at offset 0 (elsewhere its offset is unknown).
fn extern_types() {
    let words = [7u32, 8, 9];
    let header = words.as_ptr() as *const Header;
    let meta: () = std::ptr::metadata(header);
    let body = words[1..].as_ptr() as *const Body;
    let rest = unsafe { &raw const (*body).rest } as *const u32;
    println!("extern type: {meta:?} {} {}", unsafe { (*header).len }, unsafe { *rest });
}

fn main() {
    extern_types();
    async_code();
    asm_barriers();
    collections();
    strings();
    iterators_and_closures();
    smart_pointers();
    threads();
    numbers();
    sorting();
    env_and_files();
    let code = std::env::args().count() as i32;
    std::process::exit(code + 2);
}
