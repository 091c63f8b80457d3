//! Wrong attempt: assumes one read returns the whole length and one more read the whole message, as if the socket kept the writer's boundaries.

    // ANCHOR: solution_read_frame
    // One read for the length, one read for the message.
    let mut prefix = [0u8; 4];
    if input.read(&mut prefix)? == 0 {
        return Ok(None);
    }
    let length = u32::from_be_bytes(prefix) as usize;
    if length > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {length} bytes is more than {MAX_FRAME}"),
        ));
    }
    let mut message = vec![0u8; length];
    let got = input.read(&mut message)?;
    if got < length && got == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(message))
    // ANCHOR_END: solution_read_frame
