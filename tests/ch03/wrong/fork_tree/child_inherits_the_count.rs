//! Wrong attempt: gives a new child its parent's count of children made so far, so the first child of `a.2` is named `a.2.3` instead of `a.2.1`.

    // ANCHOR: solution
    // Each process carries on numbering from where its parent was.
    fn run(program: &[Line], name: String, made: u32, from: usize, names: &mut Vec<String>) {
        let mut made = made;
        let mut to_run = Vec::new();
        for (index, line) in program.iter().enumerate().skip(from) {
            match line {
                Line::Fork => {
                    made += 1;
                    to_run.push((format!("{name}.{made}"), made, index + 1));
                }
                Line::ForkChildExits => {
                    made += 1;
                    names.push(format!("{name}.{made}"));
                }
                Line::ForkTwiceInParent => {
                    made += 1;
                    to_run.push((format!("{name}.{made}"), made, index + 1));
                    made += 1;
                    to_run.push((format!("{name}.{made}"), made, index + 1));
                }
            }
        }
        names.push(name);
        for (child, made, from) in to_run {
            run(program, child, made, from, names);
        }
    }
    let mut names = Vec::new();
    run(program, "a".to_owned(), 0, 0, &mut names);
    names.sort();
    names
    // ANCHOR_END: solution
