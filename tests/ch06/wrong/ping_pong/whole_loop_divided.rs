//! Wrong attempt: the whole loop is timed once and divided by the rounds: every sample the same.

    // ANCHOR: solution_ping
    affinity::pin_to(cpu)?;
    let mut answer = [0u8; 4];
    let mut cpus = Vec::with_capacity(rounds);
    let start = Instant::now();
    for _ in 0..rounds {
        to_b.write_all(&[1])?;
        from_b.read_exact(&mut answer)?;
        cpus.push((affinity::current_cpu(), u32::from_le_bytes(answer) as usize));
    }
    let each = start.elapsed() / rounds.max(1) as u32;
    Ok(cpus
        .into_iter()
        .map(|(cpu_a, cpu_b)| Sample {
            round_trip: each,
            cpu_a,
            cpu_b,
        })
        .collect())
    // ANCHOR_END: solution_ping
