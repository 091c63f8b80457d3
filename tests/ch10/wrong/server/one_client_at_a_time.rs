//! Wrong attempt: `serve` accepts a client, answers its lines until it hangs up, then accepts the next: one thread, no `poll` needed.

    // ANCHOR: solution
    use std::io::{BufRead, BufReader, Write};

    for _ in 0..clients {
        let (stream, _) = listener.accept()?;
        let mut writer = stream.try_clone()?;
        for line in BufReader::new(stream).split(b'\n') {
            let mut line = line?;
            line.push(b'\n');
            writer.write_all(&answer(&line))?;
        }
    }
    Ok(())
    // ANCHOR_END: solution
