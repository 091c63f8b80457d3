//! A thread pool opened up: a small pool on crossbeam channels, then rayon, on the same
//! uneven job list. Who ran which task, who stole, and the speedup against Amdahl's bound.

use std::thread::JoinHandle;

use anyhow::Result;
use crossbeam_channel::{Sender, unbounded};
use support::{bars, fmt, table::Table};

use crate::{Ctx, work};

// ANCHOR: pool
/// A job gets the index of the worker that runs it.
type Job = Box<dyn FnOnce(usize) + Send + 'static>;

/// A fixed set of worker threads taking jobs from one shared queue (a crossbeam channel:
/// several receivers may wait on it; each job goes to exactly one of them).
#[derive(Debug)]
pub struct Pool {
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    pub fn new(threads: usize) -> Pool {
        let (jobs, queue) = unbounded::<Job>();
        let workers = (0..threads)
            .map(|me| {
                let queue = queue.clone();
                // recv() blocks until a job comes, and fails once every sender is gone
                // and the queue is empty: that is the worker's signal to end.
                std::thread::spawn(move || {
                    while let Ok(job) = queue.recv() {
                        job(me);
                    }
                })
            })
            .collect();
        Pool {
            jobs: Some(jobs),
            workers,
        }
    }

    pub fn execute(&self, job: impl FnOnce(usize) + Send + 'static) {
        if let Some(jobs) = &self.jobs {
            jobs.send(Box::new(job))
                .expect("the workers outlive the pool's sender");
        }
    }
}

impl Drop for Pool {
    /// Closing the queue (dropping its only sender) lets each worker finish the jobs
    /// left and end; then every worker is joined, so none outlives the pool.
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
// ANCHOR_END: pool

/// The uneven job list: most tasks are 1 unit, every sixth is 8 units.
fn sizes(quick: bool) -> Vec<u32> {
    let n = if quick { 18 } else { 36 };
    (0..n).map(|i| if i % 6 == 5 { 8 } else { 1 }).collect()
}

/// Who ran one task.
#[derive(Debug, Clone, Copy)]
struct Ran {
    task: usize,
    worker: usize,
}

// ANCHOR: rayon_scope
/// The same tasks on a rayon pool of `threads`. `scope.spawn` pushes each task onto the
/// deque (double-ended queue) of the worker that spawned it; idle workers steal from the
/// other end. Returns who spawned, and who ran each task.
fn on_rayon(threads: usize, sizes: &[u32]) -> Result<(usize, Vec<Ran>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let (tx, rx) = unbounded();
    let spawner = pool.install(|| {
        rayon::scope(|scope| {
            for (task, &units) in sizes.iter().enumerate() {
                let tx = tx.clone();
                scope.spawn(move |_| {
                    work::spin(units);
                    let worker = rayon::current_thread_index().unwrap_or(usize::MAX);
                    let _ = tx.send(Ran { task, worker });
                });
            }
            rayon::current_thread_index().unwrap_or(usize::MAX)
        })
    });
    drop(tx);
    Ok((spawner, rx.iter().collect()))
}
// ANCHOR_END: rayon_scope

fn on_pool(threads: usize, sizes: &[u32]) -> Vec<Ran> {
    let (tx, rx) = unbounded();
    {
        let pool = Pool::new(threads);
        for (task, &units) in sizes.iter().enumerate() {
            let tx = tx.clone();
            pool.execute(move |worker| {
                work::spin(units);
                let _ = tx.send(Ran { task, worker });
            });
        }
    } // the pool is dropped here: every job done, every worker joined
    drop(tx);
    rx.iter().collect()
}

pub fn show_pool_and_rayon(ctx: Ctx) -> Result<()> {
    fmt::step("A thread pool, opened up");
    let sizes = sizes(ctx.quick);
    let total: u32 = sizes.iter().sum();
    let threads = ctx.cores.max(2);
    println!(
        "  {} tasks, {total} units of work: most take 1 unit, every sixth takes 8",
        sizes.len()
    );
    println!(
        "  cores this process may use: {} (sched_getaffinity)",
        ctx.cores
    );

    let ran = on_pool(threads, &sizes);
    println!("\n  our pool: {threads} workers take jobs from one crossbeam channel");
    print_who_ran(&ran, &sizes, threads, None);

    let (spawner, ran) = on_rayon(threads, &sizes)?;
    println!("\n  rayon: the tasks were spawned on worker {spawner}; every task another worker");
    println!("  ran was stolen from worker {spawner}'s deque");
    print_who_ran(&ran, &sizes, threads, Some(spawner));

    show_speedup(ctx, &sizes, threads)
}

fn print_who_ran(ran: &[Ran], sizes: &[u32], threads: usize, spawner: Option<usize>) {
    let mut table = Table::new(["worker", "tasks", "units", "how", "which tasks"])
        .right(1)
        .right(2);
    for w in 0..threads {
        let mine: Vec<&Ran> = ran.iter().filter(|r| r.worker == w).collect();
        let units: u32 = mine.iter().map(|r| sizes[r.task]).sum();
        let how = match spawner {
            None => "took from the queue",
            Some(s) if s == w => "popped its own",
            Some(_) => "stole",
        };
        let mut which: String = mine
            .iter()
            .map(|r| r.task.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        if which.chars().count() > 44 {
            which = format!("{}…", which.chars().take(43).collect::<String>());
        }
        table.row([
            w.to_string(),
            mine.len().to_string(),
            units.to_string(),
            how.into(),
            which,
        ]);
    }
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    let every_task_once = {
        let mut seen: Vec<usize> = ran.iter().map(|r| r.task).collect();
        seen.sort_unstable();
        seen == (0..sizes.len()).collect::<Vec<_>>()
    };
    support::checks::invariant("every task ran exactly once", every_task_once);
}

/// The whole job (a serial preparation, then the tasks) serially, on our pool and on
/// rayon; speedup against Amdahl's bound for the measured serial fraction.
fn show_speedup(ctx: Ctx, sizes: &[u32], threads: usize) -> Result<()> {
    let runs = if ctx.quick { 3 } else { 5 };
    // The serial part: preparing the job list, done by one thread before any task starts.
    let prepare = |_: ()| work::spin(sizes.len() as u32 / 4);
    let serial_part = support::stats::measure(1, runs, || {
        prepare(());
    });
    let serial = support::stats::measure(1, runs, || {
        prepare(());
        for &u in sizes {
            work::spin(u);
        }
    });
    let pool = support::stats::measure(1, runs, || {
        prepare(());
        on_pool(threads, sizes);
    });
    let rayon = support::stats::measure(1, runs, || {
        prepare(());
        let _ = on_rayon(threads, sizes);
    });
    let s = serial_part.median.as_secs_f64() / serial.median.as_secs_f64();
    let n = threads as f64;
    let amdahl = 1.0 / (s + (1.0 - s) / n);
    println!(
        "\n  serial part (preparing the list): {:.1} % of the serial time",
        s * 100.0
    );
    println!(
        "  Amdahl's bound on {threads} threads: 1 / ({s:.3} + {:.3}/{threads}) = {amdahl:.2}×",
        1.0 - s
    );
    let mut table = Table::new(["way", "median", "speedup", ""])
        .right(1)
        .right(2);
    for (way, summary) in [("serial", serial), ("our pool", pool), ("rayon", rayon)] {
        let speedup = serial.median.as_secs_f64() / summary.median.as_secs_f64();
        table.row([
            way.to_string(),
            fmt::duration(summary.median),
            format!("{speedup:.2}×"),
            bars::bar(speedup, n, 30),
        ]);
    }
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    println!(
        "  each row: median of {runs} runs after 1 warm-up; serial middle half {}–{}",
        fmt::duration(serial.q1),
        fmt::duration(serial.q3)
    );
    let speedup =
        |way: &support::stats::Summary| serial.median.as_secs_f64() / way.median.as_secs_f64();
    let best = speedup(&pool).max(speedup(&rayon));
    support::checks::expectation(
        "no way beats Amdahl's bound (within 10 %)",
        &format!(
            "pool {:.2}×, rayon {:.2}×, bound {amdahl:.2}× (+10 % = {:.2}×)",
            speedup(&pool),
            speedup(&rayon),
            amdahl * 1.1
        ),
        best <= amdahl * 1.1,
        "The bound comes from the medians of a few runs: when other programs take the CPU \
         during the serial runs, the serial time grows and the speedups look larger than \
         the hardware allows.",
    );
    Ok(())
}
