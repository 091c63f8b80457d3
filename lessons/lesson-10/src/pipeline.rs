//! A crossbeam pipeline: read → parse → compute → write, joined by bounded channels.
//! Throughput, backpressure (queue lengths sampled while one stage is slowed), `select!`,
//! and shutdown by dropping senders.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Result;
use crossbeam_channel::{Receiver, bounded, select, tick};
use support::{bars, fmt, table::Table};

use crate::{Ctx, work};

/// Each channel holds at most this many items; a full channel blocks its sender.
const CAPACITY: usize = 8;

/// What one run of the pipeline gave.
#[derive(Debug)]
struct Outcome {
    items: usize,
    elapsed: Duration,
    in_order: bool,
    /// Mean sampled length of each of the three channels.
    mean_len: [f64; 3],
    samples: usize,
    threads_after: usize,
}

// ANCHOR: pipeline
/// Runs the four stages, each on its own thread. Every stage loops over its input until
/// the stage before it drops its sender; then it drops its own, so the end of input flows
/// down the line and every thread ends by itself.
fn run(items: usize, slow_compute: Option<Duration>) -> Outcome {
    let (raw_tx, raw_rx) = bounded::<String>(CAPACITY);
    let (parsed_tx, parsed_rx) = bounded::<(usize, u64)>(CAPACITY);
    let (done_tx, done_rx) = bounded::<(usize, u64)>(CAPACITY);
    let (stop_tx, stop_rx) = bounded::<()>(0);
    let start = Instant::now();
    // The sampler holds receivers, not senders: a sender it kept would keep a channel open
    // and its stage's loop would never end.
    let sampler = spawn_sampler(raw_rx.clone(), parsed_rx.clone(), done_rx.clone(), stop_rx);
    let read = std::thread::spawn(move || {
        for i in 0..items {
            raw_tx
                .send(format!("{i},{}", i * 7))
                .expect("parse is running");
        }
    }); // raw_tx dropped: parse's loop ends once it has drained the channel
    let parse = std::thread::spawn(move || {
        for line in raw_rx {
            let (id, value) = line.split_once(',').expect("id,value");
            let pair = (id.parse().expect("an id"), value.parse().expect("a value"));
            parsed_tx.send(pair).expect("compute is running");
        }
    });
    let compute = std::thread::spawn(move || {
        for (id, value) in parsed_rx {
            if let Some(pause) = slow_compute {
                std::thread::sleep(pause);
            }
            done_tx
                .send((id, work::mix(value)))
                .expect("write is running");
        }
    });
    let write = std::thread::spawn(move || {
        let mut out = std::io::sink();
        let mut next = 0;
        let mut in_order = true;
        for (id, value) in done_rx {
            in_order &= id == next;
            next += 1;
            let _ = writeln!(out, "{id} {value}");
        }
        (next, in_order)
    });
    for stage in [read, parse, compute] {
        stage.join().expect("a stage panicked");
    }
    let (written, in_order) = write.join().expect("write panicked");
    let elapsed = start.elapsed();
    drop(stop_tx); // the sampler's select! sees the stop channel close
    let (mean_len, samples) = sampler.join().expect("the sampler panicked");
    Outcome {
        items: written,
        elapsed,
        in_order: in_order && written == items,
        mean_len,
        samples,
        threads_after: 0, // counted by the caller, once the joined threads are gone
    }
}

/// Samples the three channels' lengths every millisecond until `stop` is closed:
/// `select!` waits on the ticker and the stop channel at once.
fn spawn_sampler(
    raw: Receiver<String>,
    parsed: Receiver<(usize, u64)>,
    done: Receiver<(usize, u64)>,
    stop: Receiver<()>,
) -> std::thread::JoinHandle<([f64; 3], usize)> {
    std::thread::spawn(move || {
        let ticker = tick(Duration::from_millis(1));
        let mut sums = [0usize; 3];
        let mut samples = 0;
        loop {
            select! {
                recv(ticker) -> _ => {
                    sums[0] += raw.len();
                    sums[1] += parsed.len();
                    sums[2] += done.len();
                    samples += 1;
                }
                recv(stop) -> _ => break,
            }
        }
        let n = samples.max(1) as f64;
        (sums.map(|s| s as f64 / n), samples)
    })
}
// ANCHOR_END: pipeline

pub fn show_pipeline(ctx: Ctx) -> Result<()> {
    fmt::step("crossbeam pipelines");
    let items = if ctx.quick { 400 } else { 2_000 };
    // The rayon pools of the step before end their threads after they are dropped; wait
    // (up to 2 s) for them to go, so the count before is this step's own.
    let settle = Instant::now() + Duration::from_secs(2);
    while support::threads::count() > 1 && Instant::now() < settle {
        std::thread::sleep(Duration::from_millis(10));
    }
    let threads_before = support::threads::count();
    println!("  read → parse → compute → write, one thread each, channels of capacity {CAPACITY}");
    let pause = Duration::from_micros(500);
    let mut table = Table::new([
        "run",
        "items/s",
        "read→parse",
        "parse→compute",
        "compute→write",
    ])
    .right(1);
    let mut rows = Vec::new();
    for (name, slow) in [
        ("as fast as it goes", None),
        ("compute slowed", Some(pause)),
    ] {
        let mut o = run(items, slow);
        // A joined thread can stay listed for a moment after join returns: let it go.
        o.threads_after = support::threads::count_settled(threads_before, Duration::from_secs(2));
        let per_s = o.items as f64 / o.elapsed.as_secs_f64();
        let cell = |m: f64| format!("{m:4.1} {}", bars::bar(m, CAPACITY as f64, 8));
        table.row([
            name.to_string(),
            format!("{per_s:.0}"),
            cell(o.mean_len[0]),
            cell(o.mean_len[1]),
            cell(o.mean_len[2]),
        ]);
        rows.push((name, o));
    }
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    let slowed = &rows[1].1;
    println!(
        "  queue columns: mean items waiting, from {} samples 1 ms apart (select! on a ticker)",
        slowed.samples
    );
    println!(
        "  compute slowed: a {} sleep before each item",
        fmt::duration(pause)
    );
    support::checks::invariant(
        "every item written once, in order",
        rows.iter().all(|(_, o)| o.in_order && o.items == items),
    );
    support::checks::expectation(
        "backpressure: the queue before the slow stage is fuller than the one after",
        &format!(
            "mean items waiting before compute {:.1}, after it {:.1}",
            slowed.mean_len[1], slowed.mean_len[2]
        ),
        slowed.mean_len[1] > slowed.mean_len[2],
        "The sampler runs every millisecond; when it is starved of CPU it sees few samples.",
    );
    support::checks::invariant(
        &format!("after shutdown, no more threads than before ({threads_before})"),
        rows.iter().all(|(_, o)| o.threads_after <= threads_before),
    );
    fmt::note(
        "A full channel blocks its sender, so a slow stage slows every stage before it\n\
         instead of letting a queue grow without bound: that is backpressure.",
    );
    Ok(())
}
