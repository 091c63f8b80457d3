//! Wrong attempt: `serve` accepts all `clients` connections first and only then polls them, so the first client waits for the last to connect.

    // ANCHOR: solution
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::os::fd::AsFd;

    // Each open connection, with the bytes it sent that do not yet make a whole line.
    let mut open: Vec<(TcpStream, Vec<u8>)> = Vec::new();
    // Everyone is expected, so take them all in first; then serve them with poll.
    for _ in 0..clients {
        let (stream, _) = listener.accept()?;
        open.push((stream, Vec::new()));
    }
    let mut accepted = clients;
    while accepted < clients || !open.is_empty() {
        let want_more = accepted < clients;
        // Which entries were ready: the listener first (when still accepting), then each
        // connection in `open`'s order.
        let ready: Vec<bool> = {
            let mut watch = Vec::with_capacity(open.len() + 1);
            if want_more {
                watch.push(PollFd::new(listener.as_fd(), PollFlags::POLLIN));
            }
            for (stream, _) in &open {
                watch.push(PollFd::new(stream.as_fd(), PollFlags::POLLIN));
            }
            match poll(&mut watch, PollTimeout::NONE) {
                Ok(_) => {}
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
            watch
                .iter()
                .map(|fd| fd.revents().is_some_and(|r| !r.is_empty()))
                .collect()
        };
        let (listener_ready, streams_ready) = if want_more {
            (ready[0], &ready[1..])
        } else {
            (false, &ready[..])
        };
        // From the last to the first, so `swap_remove` moves only entries already seen.
        for i in (0..open.len()).rev() {
            if !streams_ready[i] {
                continue;
            }
            let (stream, pending) = &mut open[i];
            let mut buf = [0u8; 4096];
            let n = match stream.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => 0, // a reset connection is as good as a closed one
            };
            if n == 0 {
                open.swap_remove(i);
                continue;
            }
            pending.extend_from_slice(&buf[..n]);
            let mut failed = false;
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                failed |= stream.write_all(&answer(&line)).is_err();
            }
            if failed {
                open.swap_remove(i);
            }
        }
        if listener_ready {
            let (stream, _) = listener.accept()?;
            open.push((stream, Vec::new()));
            accepted += 1;
        }
    }
    Ok(())
    // ANCHOR_END: solution
