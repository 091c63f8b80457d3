//! Wrong attempt: receives with recvmsg but gives it no buffer for control messages, so the kernel discards the descriptor that came with the byte.

    // ANCHOR: solution_recv_fd
    // A byte is all that was sent, so a one-byte buffer is all that is needed.
    let mut byte = [0u8; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let message = recvmsg::<()>(socket.as_raw_fd(), &mut iov, None, MsgFlags::empty())?;
    if message.bytes == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let mut received = None;
    for control in message.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = control {
            for raw in fds {
                // SAFETY: the kernel installed `raw` for us.
                received.get_or_insert(unsafe { OwnedFd::from_raw_fd(raw) });
            }
        }
    }
    received
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a byte came with no descriptor"))
    // ANCHOR_END: solution_recv_fd
