//! Wrong attempt: calls write once for the length and once for the message and ignores how many bytes each call really took.

    // ANCHOR: solution_write_frame
    if message.len() > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a frame carries at most {MAX_FRAME} bytes, not {}",
                message.len()
            ),
        ));
    }
    // `write` returns how much it wrote; on a socket that is always everything, isn't it?
    out.write(&(message.len() as u32).to_be_bytes())?;
    out.write(message)?;
    Ok(())
    // ANCHOR_END: solution_write_frame
