//! Wrong attempt: writes the input through the first child's `stdin` handle but never drops it, so the first stage never sees the end of its input and the pipeline never finishes.

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
        let spawned = Command::new(stage[0])
            .args(&stage[1..])
            .stdin(stdin)
            .stdout(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => children.push(child),
            Err(error) => {
                for mut child in children {
                    drop(child.stdin.take());
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err(error);
            }
        }
    }
    let mut last_stdout = children
        .last_mut()
        .and_then(|c| c.stdout.take())
        .expect("stdout was piped");
    let first_stdin = children[0].stdin.as_mut().expect("stdin was piped");
    let output = std::thread::scope(|scope| {
        scope.spawn(move || {
            // Write through the child's handle; it is closed when the child is dropped.
            let _ = io::Write::write_all(first_stdin, input.as_bytes());
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
