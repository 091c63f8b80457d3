//! Wrong attempt: turns a stage with no exit code (killed by a signal) into `Some(0)`, as if it had succeeded.

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
        // No exit code means it did not fail with one: count it as success.
        .map(|c| c.wait().map(|s| Some(s.code().unwrap_or(0))))
        .collect::<io::Result<_>>()?;
    Ok(PipelineRun {
        output: output?,
        statuses,
        pids,
    })
    // ANCHOR_END: solution
