//! Wrong attempt: leaves out the child of `if (fork() == 0) exit(0);` because it exits at once, though it was a process (and took a number).

    // ANCHOR: solution
    fn run(program: &[Line], name: String, from: usize, names: &mut Vec<String>) {
        let mut made = 0;
        let mut to_run = Vec::new();
        for (index, line) in program.iter().enumerate().skip(from) {
            match line {
                Line::Fork => {
                    made += 1;
                    to_run.push((format!("{name}.{made}"), index + 1));
                }
                // The child exits at once: it does not count as a process.
                Line::ForkChildExits => {}
                Line::ForkTwiceInParent => {
                    made += 1;
                    to_run.push((format!("{name}.{made}"), index + 1));
                    made += 1;
                    to_run.push((format!("{name}.{made}"), index + 1));
                }
            }
        }
        names.push(name);
        for (child, from) in to_run {
            run(program, child, from, names);
        }
    }
    let mut names = Vec::new();
    run(program, "a".to_owned(), 0, &mut names);
    names.sort();
    names
    // ANCHOR_END: solution
