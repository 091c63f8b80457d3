//! Wrong attempt: returns a spawn error with `?`, leaving the stages it already started running, and then unreaped zombies.

    // ANCHOR: solution
    if stages.is_empty() || stages.iter().any(|s| s.is_empty()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an empty pipeline or stage",
        ));
    }
    let mut children: Vec<std::process::Child> = Vec::new();
    for stage in stages {
        let stdin = match children.last_mut() {
            None => Stdio::piped(),
            Some(previous) => Stdio::from(previous.stdout.take().expect("stdout was piped")),
        };
        // `?` hands a spawn error straight back to the caller.
        let child = Command::new(stage[0])
            .args(&stage[1..])
            .stdin(stdin)
            .stdout(Stdio::piped())
            .spawn()?;
        children.push(child);
    }
    let mut first_stdin = children[0].stdin.take().expect("stdin was piped");
    let mut last_stdout = children
        .last_mut()
        .and_then(|c| c.stdout.take())
        .expect("stdout was piped");
    let output = std::thread::scope(|scope| {
        scope.spawn(move || {
            let _ = io::Write::write_all(&mut first_stdin, input.as_bytes());
        });
        let mut output = String::new();
        io::Read::read_to_string(&mut last_stdout, &mut output).map(|_| output)
    });
    let pids = children.iter().map(|c| c.id()).collect();
    let statuses = children
        .iter_mut()
        .map(|c| c.wait().map(|s| s.code()))
        .collect::<io::Result<_>>()?;
    Ok(PipelineRun {
        output: output?,
        statuses,
        pids,
    })
    // ANCHOR_END: solution
