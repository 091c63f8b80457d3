//! Wrong attempt: only A pins itself; B is started from A's thread, so it should run there anyway.

    // ANCHOR: solution_pong
    let mut answered = 0;
    let mut byte = [0u8];
    while from_a.read(&mut byte)? == 1 {
        let here = affinity::current_cpu() as u32;
        to_a.write_all(&here.to_le_bytes())?;
        answered += 1;
    }
    Ok(answered)
    // ANCHOR_END: solution_pong
