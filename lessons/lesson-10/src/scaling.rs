//! rayon for data parallelism: one `par_iter` job on pools of 1…N threads.

use anyhow::Result;
use rayon::prelude::*;
use support::{bars, fmt, stats, table::Table};

use crate::{Ctx, work};

// ANCHOR: par_iter
/// The CPU-bound job: `items` independent items of `units` of work each, summed. rayon
/// splits the range into tasks (far more tasks than threads) and the pool's threads
/// share them out by stealing.
fn job(pool: &rayon::ThreadPool, items: u32, units: u32) -> u64 {
    pool.install(|| {
        (0..items)
            .into_par_iter()
            .map(|i| work::spin(units + i % 2))
            .reduce(|| 0, |a, b| a ^ b)
    })
}

fn pool_of(threads: usize) -> Result<rayon::ThreadPool> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?)
}
// ANCHOR_END: par_iter

pub fn show_rayon_scaling(ctx: Ctx) -> Result<()> {
    fmt::step("rayon for data parallelism");
    let (items, units, runs) = if ctx.quick { (32, 1, 3) } else { (96, 2, 5) };
    let most = (ctx.cores * 2).max(4);
    println!("  par_iter over {items} items of ~{units} units each, on pools of 1…{most} threads");
    println!(
        "  ({} cores here: from {} threads on, there are more threads than cores)",
        ctx.cores,
        ctx.cores + 1
    );
    let serial_answer = (0..items)
        .map(|i| work::spin(units + i % 2))
        .fold(0, |a, b| a ^ b);
    let mut table = Table::new(["threads", "median", "middle half", "speedup", ""])
        .right(0)
        .right(1)
        .right(3);
    let mut one = None;
    let mut at_cores = 0.0;
    let mut same = true;
    for threads in 1..=most {
        let pool = pool_of(threads)?;
        let mut answer = 0;
        let s = stats::measure(1, runs, || answer = job(&pool, items, units));
        same &= answer == serial_answer;
        let base = *one.get_or_insert(s.median.as_secs_f64());
        let speedup = base / s.median.as_secs_f64();
        if threads == ctx.cores {
            at_cores = speedup;
        }
        table.row([
            threads.to_string(),
            fmt::duration(s.median),
            format!("{}–{}", fmt::duration(s.q1), fmt::duration(s.q3)),
            format!("{speedup:.2}×"),
            bars::bar(speedup, most as f64, 24),
        ]);
    }
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    println!(
        "  each row: median of {runs} runs after 1 warm-up; speedup = 1-thread median / row's"
    );
    support::checks::invariant("the same answer as the serial loop on every pool", same);
    println!(
        "  at {} threads (one per core): {at_cores:.2}× ({:.0} % of the ideal {}×)",
        ctx.cores,
        at_cores / ctx.cores as f64 * 100.0,
        ctx.cores
    );
    fmt::note(
        "More threads than cores cannot add speed to CPU-bound work: the kernel time-slices\n\
         them on the same cores. That is why rayon's default pool has one thread per CPU this\n\
         process may use (std::thread::available_parallelism; RAYON_NUM_THREADS overrides it).",
    );
    Ok(())
}
