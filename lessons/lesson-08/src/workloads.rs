//! The chapter's workloads, each in several runtimes: a CPU-bound counting loop and an
//! I/O-bound sleep, as native Rust and as toy-VM bytecode.

use std::time::{Duration, Instant};

use ch08_toyvm::{self as toyvm, Interp, Mode, Op, Vm};

// ANCHOR: spin
/// The CPU-bound loop in Rust: for each `i`, `total += i ^ (total >> 7)`. Each step
/// reads the total so far, so the compiler can neither replace the loop by a formula nor
/// drop it, and the loop stays in registers. (Passing `i` through `std::hint::black_box`
/// instead sends every step through memory: on the book's machine that loop took 185 ms
/// on a spawned thread and 300 ms on the main thread for the same count.)
pub fn spin(iterations: u64) -> u64 {
    let mut total = 0u64;
    for i in 0..iterations {
        total = total.wrapping_add(i ^ (total >> 7));
    }
    total
}

/// The same loop split over `threads` plain OS threads.
pub fn spin_in_threads(iterations: u64, threads: usize) -> u64 {
    let each = iterations / threads as u64;
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads).map(|_| s.spawn(move || spin(each))).collect();
        // The totals wrap, so they are added wrapping too (`sum` panics on overflow in a
        // debug build).
        let totals = workers.into_iter().map(|w| w.join().unwrap());
        totals.fold(0, u64::wrapping_add)
    })
}

/// The same loop as 64 pieces for a rayon pool of `pool.current_num_threads()` workers,
/// which steal pieces from each other until none is left.
pub fn spin_with_rayon(iterations: u64, pool: &rayon::ThreadPool) -> u64 {
    use rayon::prelude::*;
    let each = iterations / 64;
    let totals = || (0..64).into_par_iter().map(|_| spin(each));
    pool.install(|| totals().reduce(|| 0, u64::wrapping_add))
}
// ANCHOR_END: spin

/// The CPU-bound loop in toy-VM bytecode, `for i in range(n): total += i`, with the
/// loop counter in local 1 and the total in local 2: no global, nothing shared.
pub fn vm_spin(iterations: u64) -> Vec<Op> {
    let total_plus_i = [
        Op::LoadLocal(2),
        Op::LoadLocal(1),
        Op::Add,
        Op::StoreLocal(2),
    ];
    toyvm::counting(iterations as i64, &total_plus_i)
}

/// Runs `vm_spin(iterations / threads)` in `threads` VM threads of one VM in `mode`.
pub fn vm_spin_in_threads(iterations: u64, threads: usize, mode: Mode) -> toyvm::Report {
    let vm = Vm::new(mode, 1);
    vm.run_threads(&vm_spin(iterations / threads as u64), &[], threads)
}

// ANCHOR: sleep_builtin
/// `sleep(ms)` as a well-behaved builtin: it drops the interpreter lock while the thread
/// is blocked in the kernel, and takes it back before returning to bytecode (CPython's
/// `Py_BEGIN_ALLOW_THREADS` … `Py_END_ALLOW_THREADS` around a blocking call).
pub fn sleep_releasing(thread: &mut Interp<'_>, ms: i64) -> i64 {
    thread.release();
    std::thread::sleep(Duration::from_millis(ms as u64));
    let woke = Instant::now();
    thread.reacquire();
    record_response(woke.elapsed());
    0
}
// ANCHOR_END: sleep_builtin

/// Every VM thread's wait, from waking up to running bytecode again (the convoy step reads
/// it). A builtin is a plain `fn`, so the record is a static.
static RESPONSES: std::sync::Mutex<Vec<Duration>> = std::sync::Mutex::new(Vec::new());

fn record_response(wait: Duration) {
    RESPONSES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(wait);
}

/// Takes the waits recorded since the last call.
pub fn take_responses() -> Vec<Duration> {
    std::mem::take(&mut *RESPONSES.lock().unwrap_or_else(|e| e.into_inner()))
}

/// `sleeps` calls of builtin 0 with `ms`, in bytecode: the I/O-bound thread.
pub fn vm_sleeper(sleeps: u64, ms: u64) -> Vec<Op> {
    toyvm::counting(
        sleeps as i64,
        &[Op::Push(ms as i64), Op::Call(0), Op::StoreLocal(3)],
    )
}

/// Thread 0 sleeps `sleeps` × `ms` (I/O-bound) and then sets global 0; every other thread
/// counts until global 0 is set (CPU-bound), so the I/O thread always has company.
pub fn vm_convoy(sleeps: u64, ms: u64) -> Vec<Op> {
    let mut io = vm_sleeper(sleeps, ms);
    io.pop(); // its Halt: set the flag first
    io.extend([Op::Push(1), Op::Store(0), Op::Halt]);
    // Threads other than 0 jump past the I/O part to the CPU-bound loop.
    let mut code = vec![Op::LoadLocal(0), Op::JumpIfZero(2 + 1)];
    let cpu_start = 2 + 1 + io.len();
    code.push(Op::Jump(cpu_start));
    code.extend(relocate(&io, 3));
    let top = code.len();
    code.extend([
        Op::Load(0),
        Op::Push(1),
        Op::Less,
        Op::JumpIfZero(top + 9),
        Op::LoadLocal(2),
        Op::Push(1),
        Op::Add,
        Op::StoreLocal(2),
        Op::Jump(top),
        Op::Halt,
    ]);
    code
}

/// Shifts every jump target of `code` by `by`, for code placed `by` instructions later.
fn relocate(code: &[Op], by: usize) -> Vec<Op> {
    code.iter()
        .map(|op| match *op {
            Op::Jump(t) => Op::Jump(t + by),
            Op::JumpIfZero(t) => Op::JumpIfZero(t + by),
            other => other,
        })
        .collect()
}

/// How many iterations of `run` take about `target` on one thread: doubles a trial run
/// until it takes a quarter of the target, then scales.
pub fn calibrate(target: Duration, mut run: impl FnMut(u64)) -> u64 {
    let mut iterations = 10_000u64;
    loop {
        let start = Instant::now();
        run(iterations);
        let took = start.elapsed();
        if took >= target / 4 {
            return (iterations as f64 * target.as_secs_f64() / took.as_secs_f64()) as u64;
        }
        iterations *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vm_loop_computes_the_sum() {
        // Read the total back through a global: append `LoadLocal(2) Store(0)`.
        let mut code = vm_spin(1000);
        code.pop();
        code.extend([Op::LoadLocal(2), Op::Store(0), Op::Halt]);
        let vm = Vm::new(Mode::NoGil, 1);
        vm.run_threads(&code, &[], 1);
        assert_eq!(vm.global(0) as u64, (0..1000u64).sum::<u64>());
    }

    #[test]
    fn the_convoy_program_ends_when_the_sleeper_does() {
        let vm = Vm::new(Mode::DEFAULT_GIL, 1);
        take_responses();
        vm.run_threads(&vm_convoy(3, 1), &[sleep_releasing], 2);
        assert_eq!(vm.global(0), 1);
        assert_eq!(take_responses().len(), 3);
    }
}
