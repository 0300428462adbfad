//! The engine's own cost per command, without sockets or Node: feeds one
//! command line (in batches of `pipeline`) through `Engine::feed` and
//! prints nanoseconds per command. For profiling the core under `perf`:
//!
//!   cargo run --release -p ferrokv-core --example feed_loop -- 1000000 16 SET key:__rand__ value
//!
//! `__rand__` becomes a number below 100000 that changes on every command,
//! as redis-benchmark's `__rand_int__` does. Lines given after `--setup`
//! run once first (SCRIPT LOAD …).
//!
//! Besides wall time it prints the thread's own CPU time per command (from
//! Linux's /proc/thread-self/schedstat), which stays comparable when other
//! processes compete for the CPU.

use std::time::Instant;

use ferrokv_core::testing::TestConn;

fn encode(args: &[String], n: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        let a = a.replace("__rand__", &format!("{:06}", n % 100_000));
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// Nanoseconds this thread has run on a CPU, where Linux tells.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (main_args, setup) = match argv.iter().position(|a| a == "--setup") {
        Some(i) => (&argv[..i], &argv[i + 1..]),
        None => (&argv[..], &[][..]),
    };
    let [count, pipeline, command @ ..] = main_args else {
        eprintln!("usage: feed_loop COUNT PIPELINE COMMAND ARG… [--setup COMMAND ARG…]");
        std::process::exit(2);
    };
    let count: u64 = count.parse().expect("COUNT");
    let pipeline: u64 = pipeline.parse().expect("PIPELINE");
    let mut c = TestConn::new();
    if !setup.is_empty() {
        let args: Vec<&str> = setup.iter().map(String::as_str).collect();
        println!("setup: {}", c.cmd(&args).trim_end());
    }
    // The requests are made before timing: the loop measures the engine alone.
    let mut seq = 0u64;
    let batches: Vec<Vec<u8>> = (0..1000)
        .map(|_| {
            let mut b = Vec::new();
            for _ in 0..pipeline {
                encode(command, seq.wrapping_mul(2_654_435_761), &mut b);
                seq += 1;
            }
            b
        })
        .collect();
    let first = c.raw(&batches[0]);
    println!("first reply: {}", String::from_utf8_lossy(&first[..first.len().min(80)]).trim_end());
    let started = Instant::now();
    let cpu_started = cpu_ns();
    let mut done = 0;
    while done < count {
        let batch = &batches[(done / pipeline) as usize % batches.len()];
        c.engine.feed(c.handle, batch);
        c.engine.clear_output();
        done += pipeline;
    }
    let ns = started.elapsed().as_nanos() as f64 / done as f64;
    println!("{done} commands: {ns:.0} ns/command");
    if let (Some(a), Some(b)) = (cpu_started, cpu_ns()) {
        println!("cpu: {:.0} ns/command", (b - a) as f64 / done as f64);
    }
    let info = c.cmd(&["INFO", "memory"]);
    if let Some(lua) = info.split("\r\n").find(|l| l.starts_with("used_memory_lua:")) {
        println!("{lua}");
    }
}
