//! Wrong attempt: the stages are joined by `unbounded()` channels, so no stage ever has to wait to send.

    // ANCHOR: solution
    use crossbeam_channel::unbounded;

    let (read_tx, read_rx) = unbounded();
    let (parsed_tx, parsed_rx) = unbounded();
    let (computed_tx, computed_rx) = unbounded();
    std::thread::scope(|s| {
        s.spawn(move || {
            for item in input {
                if read_tx.send(item).is_err() {
                    break;
                }
            }
        });
        let parse = &parse;
        s.spawn(move || {
            for item in read_rx {
                if parsed_tx.send(parse(item)).is_err() {
                    break;
                }
            }
        });
        let compute = &compute;
        s.spawn(move || {
            for item in parsed_rx {
                if computed_tx.send(compute(item)).is_err() {
                    break;
                }
            }
        });
        for result in computed_rx {
            output(result);
        }
    });
    // ANCHOR_END: solution
