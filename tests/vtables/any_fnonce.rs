//! Box<dyn Any> downcasts and Box<dyn FnOnce>/FnMut/Fn.

use std::any::Any;

fn describe(value: &Box<dyn Any>) -> String {
    if let Some(i) = value.downcast_ref::<i32>() {
        format!("i32 {i}")
    } else if let Some(s) = value.downcast_ref::<String>() {
        format!("String {s}")
    } else if let Some(v) = value.downcast_ref::<Vec<u8>>() {
        format!("Vec<u8> {v:?}")
    } else {
        "unknown".to_string()
    }
}

fn main() {
    let values: Vec<Box<dyn Any>> = vec![
        Box::new(5i32),
        Box::new(String::from("text")),
        Box::new(vec![1u8, 2, 3]),
        Box::new(1.5f32),
    ];
    for v in &values {
        println!("{}", describe(v));
    }
    for v in values {
        match v.downcast::<String>() {
            Ok(s) => println!("owned string {s}"),
            Err(other) => println!("not a string: is i32 {}", other.is::<i32>()),
        }
    }
    let owned = String::from("captured");
    let mut calls: Vec<Box<dyn FnOnce(u32) -> String>> = Vec::new();
    calls.push(Box::new(move |n| format!("{owned} {n}")));
    calls.push(Box::new(|n| format!("plain {}", n * 2)));
    let v = vec![1, 2, 3];
    calls.push(Box::new(move |n| format!("sum {}", v.iter().sum::<u32>() + n)));
    for (i, f) in calls.into_iter().enumerate() {
        println!("{}", f(i as u32));
    }
    let mut counter = 0;
    {
        let mut inc: Box<dyn FnMut() -> u32 + '_> = Box::new(|| {
            counter += 3;
            counter
        });
        inc();
        println!("fnmut {}", inc());
    }
    let add = |a: i64, b: i64| a + b;
    let f: &dyn Fn(i64, i64) -> i64 = &add;
    println!("fn {} counter {counter}", f(40, 2));
}
