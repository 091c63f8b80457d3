//! Wrong attempt: uses read_exact for the length too and takes any end-of-file there as a clean end, so a length cut in half reads as no more frames.

    // ANCHOR: solution_read_frame
    // read_exact loops over short reads; end-of-file anywhere just means "no more frames".
    let mut prefix = [0u8; 4];
    match input.read_exact(&mut prefix) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(error) => return Err(error),
    }
    let length = u32::from_be_bytes(prefix) as usize;
    if length > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {length} bytes is more than {MAX_FRAME}"),
        ));
    }
    let mut message = vec![0u8; length];
    input.read_exact(&mut message)?;
    Ok(Some(message))
    // ANCHOR_END: solution_read_frame
