//! Grades `ping_pong`. Each end is first played against the test's own partner, which
//! checks the protocol from the other side of the pipes (one byte, one answer, nothing
//! sent ahead); then the whole ping-pong runs on one CPU and on two. Times are only
//! checked for being plausible, never compared with a fixed figure.

use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

use support::affinity;

use crate::ping_pong::{Sample, ping, ping_pong, pong};

const ROUNDS: usize = 200;
/// Every `SLOW_EVERY`th answer of the test's B comes `SLOW_ANSWER` late.
const SLOW_EVERY: usize = 10;
const SLOW_ANSWER: Duration = Duration::from_millis(2);

/// Bytes waiting to be read in the pipe that `fd` is an end of (`FIONREAD` works on
/// either end: both share the pipe's buffer).
fn unread(fd: RawFd) -> usize {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int into `n`.
    let rc = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    assert_eq!(rc, 0, "FIONREAD on a pipe: {}", io::Error::last_os_error());
    n as usize
}

/// The test's own end B, pinned to `cpu`: answers each byte with its CPU, after checking
/// that A sent nothing ahead and had read the previous answer. Returns how many bytes it
/// answered, or what A did wrong.
fn test_b(cpu: usize, mut from_a: PipeReader, mut to_a: PipeWriter) -> Result<usize, String> {
    affinity::pin_to(cpu).expect("pin the test's B");
    let mut answered = 0;
    let mut byte = [0u8];
    while from_a.read(&mut byte).expect("read from A") == 1 {
        let ahead = unread(from_a.as_raw_fd());
        let unanswered = unread(to_a.as_raw_fd());
        if ahead > 0 {
            return Err(format!(
                "A sent {ahead} more byte(s) before B had answered byte {}: A must wait for \
                 each answer (a round trip), not send them all one way",
                answered + 1
            ));
        }
        if unanswered > 0 {
            return Err(format!(
                "A sent byte {} while {unanswered} byte(s) of B's last answer were still \
                 unread in the pipe: read the whole four-byte answer before the next byte",
                answered + 1
            ));
        }
        if answered % SLOW_EVERY == 0 {
            // A known wait inside the round trip: a sample that covers the whole trip,
            // from before the send to after the answer was read, cannot be shorter.
            std::thread::sleep(SLOW_ANSWER);
        }
        if to_a
            .write_all(&(affinity::current_cpu() as u32).to_le_bytes())
            .is_err()
        {
            break; // A stopped listening; its samples will tell.
        }
        answered += 1;
    }
    Ok(answered)
}

/// Checks samples for count, pinning and plausible times; returns their median.
fn check_samples(samples: &[Sample], cpu_a: usize, cpu_b: usize, what: &str) -> Duration {
    assert_eq!(
        samples.len(),
        ROUNDS,
        "{what}: {ROUNDS} round trips asked for, samples returned (expected / yours)"
    );
    for (i, sample) in samples.iter().enumerate() {
        assert_eq!(
            (sample.cpu_a, sample.cpu_b),
            (cpu_a, cpu_b),
            "{what}: round trip {i}: the CPUs of A and B (expected / yours)"
        );
        assert!(
            sample.round_trip > Duration::ZERO && sample.round_trip < Duration::from_secs(1),
            "{what}: round trip {i} took {:?}: a round trip takes more than nothing and far \
             less than a second",
            sample.round_trip
        );
    }
    let mut times: Vec<Duration> = samples.iter().map(|s| s.round_trip).collect();
    times.sort_unstable();
    times.dedup();
    assert!(
        times.len() > 1,
        "{what}: all {ROUNDS} round trips took exactly {:?}: time each round trip on its own \
         (one timing of the whole loop divided by the count hides the spread)",
        times[0]
    );
    let mut sorted: Vec<Duration> = samples.iter().map(|s| s.round_trip).collect();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

#[test]
fn ping_makes_round_trips_against_the_tests_b() {
    let _graded = support::sealed::graded();
    let (cpu_a, cpu_b) = affinity::two_cpus().expect("CPUs");
    let (from_a, mut to_b) = io::pipe().expect("pipe");
    let (mut from_b, to_a) = io::pipe().expect("pipe");
    let (samples, b) = std::thread::scope(|s| {
        let b = s.spawn(move || test_b(cpu_b, from_a, to_a));
        let samples = s
            .spawn(move || {
                let samples = ping(cpu_a, ROUNDS, &mut to_b, &mut from_b);
                drop(to_b); // the test's B reads the end of its pipe and returns
                let mask = affinity::allowed().expect("affinity");
                assert_eq!(
                    mask,
                    vec![cpu_a],
                    "after `ping`, the CPUs its thread may run on (expected / yours): \
                     it must pin itself"
                );
                samples
            })
            .join();
        (samples, b.join().expect("the test's B does not panic"))
    });
    let answered = b.unwrap_or_else(|wrong| panic!("{wrong}"));
    let samples = samples
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        .expect("ping against the test's B");
    assert_eq!(
        answered, ROUNDS,
        "bytes the test's B received and answered, for {ROUNDS} round trips (expected / yours)"
    );
    check_samples(&samples, cpu_a, cpu_b, "ping against the test's B");
    let short: Vec<(usize, Duration)> = samples
        .iter()
        .enumerate()
        .filter(|(i, s)| i % SLOW_EVERY == 0 && s.round_trip < SLOW_ANSWER)
        .map(|(i, s)| (i, s.round_trip))
        .collect();
    assert!(
        short.is_empty(),
        "the test's B waited {SLOW_ANSWER:?} before it answered round trips 0, {SLOW_EVERY}, \
         {}, …, yet these samples are shorter (round trip, yours): {short:?}. Read the clock \
         just before you send the byte and again after you have read the whole answer.",
        2 * SLOW_EVERY
    );
}

#[test]
fn pong_answers_the_tests_a_from_its_cpu() {
    let _graded = support::sealed::graded();
    let (cpu_a, cpu_b) = affinity::two_cpus().expect("CPUs");
    let (mut from_a, mut to_b) = io::pipe().expect("pipe");
    let (mut from_b, mut to_a) = io::pipe().expect("pipe");
    std::thread::scope(|s| {
        let b = s.spawn(move || {
            let answered = pong(cpu_b, &mut from_a, &mut to_a);
            (answered, affinity::allowed().expect("affinity"))
        });
        affinity::pin_to(cpu_a).expect("pin the test's A");
        let mut answer = [0u8; 4];
        for i in 0..ROUNDS {
            to_b.write_all(&[7]).expect("write to B");
            from_b
                .read_exact(&mut answer)
                .unwrap_or_else(|e| panic!("B's four-byte answer to byte {i}: {e}"));
            assert_eq!(
                u32::from_le_bytes(answer) as usize,
                cpu_b,
                "B's answer to byte {i}: the CPU it runs on, pinned (expected / yours)"
            );
        }
        drop(to_b);
        let (answered, mask) = b.join().expect("pong does not panic");
        assert_eq!(
            answered.expect("pong returns Ok at the end of its pipe"),
            ROUNDS,
            "bytes pong says it answered (expected / yours)"
        );
        assert_eq!(
            mask,
            vec![cpu_b],
            "after `pong`, the CPUs its thread may run on (expected / yours): it must pin \
             itself"
        );
        let mut rest = Vec::new();
        from_b.read_to_end(&mut rest).expect("read the rest");
        assert!(
            rest.is_empty(),
            "B wrote {} bytes nobody asked for",
            rest.len()
        );
    });
}

/// Runs the whole ping-pong on a thread of its own (it pins the thread it runs on).
fn run_whole(cpu_a: usize, cpu_b: usize, what: &str) -> Duration {
    let result = std::thread::spawn(move || ping_pong(cpu_a, cpu_b, ROUNDS))
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        .unwrap_or_else(|e| panic!("{what}: ping_pong failed: {e}"));
    assert_eq!(
        result.answered, ROUNDS,
        "{what}: the count pong returned (expected / yours)"
    );
    check_samples(&result.samples, cpu_a, cpu_b, what)
}

#[test]
fn whole_ping_pong_on_one_cpu() {
    let _graded = support::sealed::graded();
    let cpu = affinity::two_cpus().expect("CPUs").0;
    let median = run_whole(cpu, cpu, "both ends on one CPU");
    // On one core a round trip is two switches, a few µs on most machines; 50 ms allows
    // for a slow, busy machine and a debug build, and still catches a sleep in the loop.
    assert!(
        median < Duration::from_millis(50),
        "both ends on one CPU: the median round trip took {median:?}, more than 50 ms"
    );
}

/// What a correct ping-pong's result shows, as properties that hold on any machine (the
/// times themselves vary, so only their plausibility is reported).
fn properties(result: &crate::ping_pong::PingPong, cpu_a: usize, cpu_b: usize) -> String {
    let yes = |holds: bool| if holds { "yes" } else { "no" };
    let samples = &result.samples;
    let on_their_cpu = samples.iter().all(|s| (s.cpu_a, s.cpu_b) == (cpu_a, cpu_b));
    let plausible = samples
        .iter()
        .all(|s| s.round_trip > Duration::ZERO && s.round_trip < Duration::from_secs(1));
    let not_all_equal = samples
        .iter()
        .any(|s| s.round_trip != samples[0].round_trip);
    format!(
        "round trips asked for: {ROUNDS}\n\
         samples: {}\n\
         bytes pong answered: {}\n\
         both ends on their CPU: {}\n\
         every sample > 0 and < 1 s: {}\n\
         not all equal: {}\n",
        samples.len(),
        result.answered,
        yes(on_their_cpu),
        yes(plausible),
        yes(not_all_equal),
    )
}

#[test]
fn whole_ping_pong_on_two_cpus() {
    let _graded = support::sealed::graded();
    let (cpu_a, cpu_b) = affinity::two_cpus().expect("CPUs");
    let what = "the ends on two CPUs";
    let result = std::thread::spawn(move || ping_pong(cpu_a, cpu_b, ROUNDS))
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        .unwrap_or_else(|e| panic!("{what}: ping_pong failed: {e}"));
    let report = properties(&result, cpu_a, cpu_b);
    support::assert_graded_snapshot!("ch06-ping_pong-properties", report);
    check_samples(&result.samples, cpu_a, cpu_b, what);
}
