//! Wrong attempt: the slow stage, `compute`, gets two threads that share its receiver, so the pipeline goes faster.

    // ANCHOR: solution
    use crossbeam_channel::bounded;

    let (read_tx, read_rx) = bounded(capacity);
    let (parsed_tx, parsed_rx) = bounded(capacity);
    let (computed_tx, computed_rx) = bounded(capacity);
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
        for _ in 0..2 {
            let (parsed_rx, computed_tx) = (parsed_rx.clone(), computed_tx.clone());
            s.spawn(move || {
                for item in parsed_rx {
                    if computed_tx.send(compute(item)).is_err() {
                        break;
                    }
                }
            });
        }
        drop((parsed_rx, computed_tx));
        for result in computed_rx {
            output(result);
        }
    });
    // ANCHOR_END: solution
