//! Wrong attempt: A sends all its bytes, then reads the answers: one-way trips, not round trips.

    // ANCHOR: solution_ping
    affinity::pin_to(cpu)?;
    let mut sent = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        sent.push(Instant::now());
        to_b.write_all(&[1])?;
    }
    let mut samples = Vec::with_capacity(rounds);
    let mut answer = [0u8; 4];
    for start in sent {
        from_b.read_exact(&mut answer)?;
        samples.push(Sample {
            round_trip: start.elapsed(),
            cpu_a: affinity::current_cpu(),
            cpu_b: u32::from_le_bytes(answer) as usize,
        });
    }
    Ok(samples)
    // ANCHOR_END: solution_ping
