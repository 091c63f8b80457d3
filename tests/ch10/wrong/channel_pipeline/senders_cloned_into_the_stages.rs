//! Wrong attempt: each stage gets a clone of its sender, and the originals stay in the function until the pipeline is done.

    // ANCHOR: solution
    use crossbeam_channel::bounded;

    let (read_tx, read_rx) = bounded(capacity);
    let (parsed_tx, parsed_rx) = bounded(capacity);
    let (computed_tx, computed_rx) = bounded(capacity);
    std::thread::scope(|s| {
        let tx = read_tx.clone();
        s.spawn(move || {
            for item in input {
                if tx.send(item).is_err() {
                    break;
                }
            }
        });
        let tx = parsed_tx.clone();
        let parse = &parse;
        s.spawn(move || {
            for item in read_rx {
                if tx.send(parse(item)).is_err() {
                    break;
                }
            }
        });
        let tx = computed_tx.clone();
        let compute = &compute;
        s.spawn(move || {
            for item in parsed_rx {
                if tx.send(compute(item)).is_err() {
                    break;
                }
            }
        });
        for result in computed_rx.iter() {
            output(result);
        }
    });
    drop((read_tx, parsed_tx, computed_tx));
    // ANCHOR_END: solution
