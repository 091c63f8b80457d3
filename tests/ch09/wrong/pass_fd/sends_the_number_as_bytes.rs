//! Wrong attempt: sends the descriptor's number as four plain bytes, as if the number meant the same file in the other process.

    // ANCHOR: solution_send_fd
    // The descriptor is a number: send the number.
    std::io::Write::write_all(&mut &*socket, &fd.as_raw_fd().to_ne_bytes())
    // ANCHOR_END: solution_send_fd

    // ANCHOR: solution_recv_fd
    let mut number = [0u8; 4];
    std::io::Read::read_exact(&mut &*socket, &mut number)?;
    // SAFETY: the number the sender had open.
    Ok(unsafe { OwnedFd::from_raw_fd(RawFd::from_ne_bytes(number)) })
    // ANCHOR_END: solution_recv_fd
