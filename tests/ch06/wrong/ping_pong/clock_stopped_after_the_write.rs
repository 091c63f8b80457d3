//! Wrong attempt: `ping` stops the clock right after its write, before the answer is read, so a sample times the send only.

    // ANCHOR: solution_ping
    affinity::pin_to(cpu)?;
    let mut samples = Vec::with_capacity(rounds);
    let mut answer = [0u8; 4];
    for _ in 0..rounds {
        let start = Instant::now();
        to_b.write_all(&[1])?;
        let round_trip = start.elapsed(); // the byte is on its way: that is the trip
        from_b.read_exact(&mut answer)?;
        samples.push(Sample {
            round_trip,
            cpu_a: affinity::current_cpu(),
            cpu_b: u32::from_le_bytes(answer) as usize,
        });
    }
    Ok(samples)
    // ANCHOR_END: solution_ping
