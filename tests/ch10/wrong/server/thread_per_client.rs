//! Wrong attempt: `serve` accepts each client and gives it a thread of its own that reads its lines and answers them, then joins them all.

    // ANCHOR: solution
    use std::io::{BufRead, BufReader, Write};

    std::thread::scope(|s| {
        for _ in 0..clients {
            let (stream, _) = listener.accept()?;
            s.spawn(move || {
                let mut writer = stream.try_clone()?;
                for line in BufReader::new(stream).split(b'\n') {
                    let mut line = line?;
                    line.push(b'\n');
                    writer.write_all(&answer(&line))?;
                }
                io::Result::Ok(())
            });
        }
        Ok(())
    })
    // ANCHOR_END: solution
