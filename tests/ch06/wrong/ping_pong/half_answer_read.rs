//! Wrong attempt: A reads one byte of B's four-byte answer, since a CPU number fits in a byte.

    // ANCHOR: solution_ping
    affinity::pin_to(cpu)?;
    let mut samples = Vec::with_capacity(rounds);
    let mut answer = [0u8; 1];
    for _ in 0..rounds {
        let start = Instant::now();
        to_b.write_all(&[1])?;
        from_b.read_exact(&mut answer)?;
        samples.push(Sample {
            round_trip: start.elapsed(),
            cpu_a: affinity::current_cpu(),
            cpu_b: usize::from(answer[0]),
        });
    }
    Ok(samples)
    // ANCHOR_END: solution_ping
