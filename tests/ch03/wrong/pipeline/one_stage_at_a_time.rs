//! Wrong attempt: runs each stage to its end and feeds its whole output to the next, so the stages run one after another instead of at the same time.

    // ANCHOR: solution
    if stages.is_empty() || stages.iter().any(|s| s.is_empty()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an empty pipeline or stage",
        ));
    }
    // Run each stage to the end, and feed what it wrote to the next one.
    let mut data = input.as_bytes().to_vec();
    let mut statuses = Vec::new();
    let mut pids = Vec::new();
    for stage in stages {
        let mut child = Command::new(stage[0])
            .args(&stage[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        pids.push(child.id());
        let mut stdin = child.stdin.take().expect("stdin was piped");
        let writer = std::thread::spawn(move || {
            let _ = io::Write::write_all(&mut stdin, &data);
        });
        let finished = child.wait_with_output()?;
        let _ = writer.join();
        statuses.push(finished.status.code());
        data = finished.stdout;
    }
    Ok(PipelineRun {
        output: String::from_utf8_lossy(&data).into_owned(),
        statuses,
        pids,
    })
    // ANCHOR_END: solution
